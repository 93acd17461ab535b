"""How a person's name is shown: as Chinese colleagues write it (王芳), Western names as usual."""


def display_name(user) -> str:
    if user is None:
        return ""
    last, first = (user.last_name or "").strip(), (user.first_name or "").strip()
    if not (last or first):
        return user.get_username()
    if any("\u4e00" <= ch <= "\u9fff" for ch in last + first):
        return f"{last}{first}"
    return f"{first} {last}".strip()
