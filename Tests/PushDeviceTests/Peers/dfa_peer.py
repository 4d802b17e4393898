"""django-fingerprint-attendance as a PUSH server peer for the Gatehouse device role (loopback only).

    dfa_peer.py setup  <dir>                 create a minimal Django project and migrate
    dfa_peer.py serve  <dir> <port>          run it (blocks; runserver --noreload)
    dfa_peer.py queue  <dir> <sn> <command>  queue a raw command for a device, print its id
    dfa_peer.py status <dir> <id>            print "<status> <return_code>" of a command
    dfa_peer.py device <dir> <sn>            print "<registry_code>" once the device registered, else "-"

The recipe is the one in shared/research/push-real-world.md.
"""
import os
import subprocess
import sys
import textwrap

SETTINGS = textwrap.dedent("""
    from cryptography.fernet import Fernet
    SECRET_KEY = "gatehouse-test-only"
    DEBUG = False
    ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    USE_TZ = True
    TIME_ZONE = "UTC"
    INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "rest_framework", "fingerprint_attendance"]
    MIDDLEWARE = []
    ROOT_URLCONF = "peerurls"
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": __import__("os").path.join(__import__("os").path.dirname(__file__), "db.sqlite3")}}
    DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
    FINGERPRINT_ATTENDANCE = {"TEMPLATE_ENCRYPTION_KEYS": [KEY], "ADMS_REQUIRE_DEVICE_APPROVAL": False}
""")

URLS = 'from django.urls import include, path\nurlpatterns = [path("", include("fingerprint_attendance.urls"))]\n'


def manage(directory, *args, capture=False):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="peersettings", PYTHONPATH=directory)
    command = [sys.executable, "-m", "django", *args]
    if capture:
        return subprocess.run(command, env=env, cwd=directory, check=True, capture_output=True, text=True).stdout
    return subprocess.run(command, env=env, cwd=directory, check=True)


def main():
    action, directory = sys.argv[1], sys.argv[2]
    if action == "setup":
        from cryptography.fernet import Fernet
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "peersettings.py"), "w") as handle:
            handle.write("KEY = %r\n" % Fernet.generate_key().decode() + SETTINGS)
        with open(os.path.join(directory, "peerurls.py"), "w") as handle:
            handle.write(URLS)
        manage(directory, "migrate", "--verbosity", "0")
    elif action == "serve":
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="peersettings", PYTHONPATH=directory)
        os.execve(sys.executable, [sys.executable, "-m", "django", "runserver", "127.0.0.1:" + sys.argv[3], "--noreload"], env)
    elif action == "queue":
        script = ("from fingerprint_attendance.models import Device\n"
                  "from fingerprint_attendance.services.commands import queue_command\n"
                  "d = Device.objects.get(serial_number=%r)\n"
                  "print(queue_command(d, 'raw', {'command': %r}).pk)\n") % (sys.argv[3], sys.argv[4])
        print(manage(directory, "shell", "-c", script, capture=True).strip())
    elif action == "status":
        script = ("from fingerprint_attendance.models import DeviceCommand\n"
                  "c = DeviceCommand.objects.get(pk=%s)\n"
                  "print(c.status, c.return_code)\n") % int(sys.argv[3])
        print(manage(directory, "shell", "-c", script, capture=True).strip())
    elif action == "device":
        script = ("from fingerprint_attendance.models import Device\n"
                  "d = Device.objects.filter(serial_number=%r).first()\n"
                  "print((d.capabilities or {}).get('registry_code', '-') if d else '-')\n") % sys.argv[3]
        print(manage(directory, "shell", "-c", script, capture=True).strip())
    else:
        raise SystemExit("unknown action " + action)


if __name__ == "__main__":
    main()
