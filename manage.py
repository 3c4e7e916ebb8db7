#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forpost.settings")
    # manage.py is the developer's tool: without DEBUG set it runs in development mode.
    # Production serves through gunicorn (forpost.wsgi, no such default) and sets DEBUG=0
    # and SECRET_KEY for its management commands too (README, "Production").
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
