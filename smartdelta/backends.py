from django.contrib.auth.backends import ModelBackend


class PortalModelBackend(ModelBackend):
    """Loads the user with their organisation: every page shows it in the header."""

    def get_user(self, user_id):
        try:
            user = self.get_user_queryset().get(pk=user_id)
        except self.get_user_queryset().model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_user_queryset(self):
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager.select_related("organisation")
