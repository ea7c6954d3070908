"""Remote services: one package per service, each a :class:`~.service.Service` (what it
claims, asks and means) beside its checker (:class:`~.base.Checker`), all listed in
:mod:`.registry`."""
