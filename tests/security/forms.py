"""Read a form out of a rendered page, the way a browser would submit it.

The history and hostile-input tests post what the portal itself offers (plus their own changes),
so they keep working when a form gains a field.
"""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, action):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.fields = None  # None until the form is found
        self.done = False
        self.inside = False
        self.select = None  # (name, first value, chosen value)
        self.option = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done:
            return
        if tag == "form":
            if attrs.get("method", "get").lower() == "post" and (
                attrs.get("action") == self.action
            ):
                self.inside, self.fields = True, []
            return
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.select = [name, None, None]
        elif tag == "option" and self.select is not None:
            self.option = attrs
            value = attrs.get("value")
            if value is not None:
                self._option_value(value)
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def _option_value(self, value):
        if self.select[1] is None:
            self.select[1] = value
        if "selected" in self.option:
            self.select[2] = value
        self.option = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        elif self.option is not None and self.select is not None:
            self._option_value(data.strip())

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "select" and self.select is not None:
            name, first, chosen = self.select
            value = chosen if chosen is not None else first
            if value is not None:
                self.fields.append((name, value))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = self.textarea[1]
            # browsers drop the one newline that follows <textarea>
            self.fields.append((self.textarea[0], text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "form":
            self.inside, self.done = False, True


def form_fields(html: str, action: str | None = None) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser would post for the POST form with this action.

    Without `action`, the first POST form without an action (it posts to the page itself; the
    header's logout form has one). Fails when there is no such form.
    """
    parser = _FormParser(action)
    parser.feed(html)
    assert parser.fields is not None, f"Geen POST-formulier met action={action!r} op de pagina"
    return parser.fields


def form_data(html: str, action: str | None = None, **changes) -> dict:
    """`form_fields` as a dict for the test client (a repeated name becomes a list)."""
    data: dict = {}
    for name, value in form_fields(html, action):
        if name in data:
            data[name] = (
                [*data[name], value] if isinstance(data[name], list) else [data[name], value]
            )
        else:
            data[name] = value
    data.update(changes)
    return data
