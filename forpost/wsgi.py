import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forpost.settings")
application = get_wsgi_application()

# What is loaded now (Django, the apps, the URL and translation machinery) lives as long as
# the worker: moved out of the garbage collector's generations, it is not scanned again on
# every full collection during a request that builds many objects (the city's annual
# status). A request's own garbage is collected as before.
gc.collect()
gc.freeze()
