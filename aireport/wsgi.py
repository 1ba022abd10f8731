import os

from django.core.wsgi import get_wsgi_application

from aireport.middleware import reject_undecodable_charset

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aireport.settings")
application = reject_undecodable_charset(get_wsgi_application())
