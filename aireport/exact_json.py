"""A fixture format like Django's "json", but with datetimes to the microsecond.

Django's JSON keeps milliseconds, so a backup through it would not bring back exactly what was
saved. Registered as "json-exact" (settings.SERIALIZATION_MODULES); the files are ordinary JSON
that `loaddata` reads with Django's own "json" deserializer.
"""

import datetime

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

__all__ = ["Deserializer", "Serializer"]


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder
