"""Personal data export and erasure, extended by every app that holds personal data.

Apps register an exporter (a section of the JSON export) and an eraser (run when an
account is deleted, before the person's own fields are blanked) in AppConfig.ready().
"""

_EXPORTERS = {}
_ERASERS = []


def register_exporter(section, fn):
    """fn(user) -> JSON-serialisable data for `section` of the export."""
    _EXPORTERS[section] = fn


def register_eraser(fn):
    """fn(user, now) -> None; withdraws, anonymises or deletes what the app holds."""
    _ERASERS.append(fn)


def exporters():
    return dict(_EXPORTERS)


def erasers():
    return list(_ERASERS)
