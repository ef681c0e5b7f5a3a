def panel(user):
    return None
