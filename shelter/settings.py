"""Settings for the shelter technology-plans product.

One file, read from the environment (see .env.example). With nothing set it runs
on an embedded SQLite file for a first look; DATABASE_URL=postgres://… moves it
to PostgreSQL. With DEBUG off it refuses to start without a real secret key.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from shelter.environment import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

_DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off "
        '(generate one with: python -c "import secrets; print(secrets.token_urlsafe(64))").'
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "shelter",
    "plans",
    "policies",
    "reports",
    "desk",
    "library",
    "shelter.apps.ShelterAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user verified when this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    # Every page but the sign-in page and static files needs a signed-in user.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "shelter.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "shelter.middleware.SessionLimitsMiddleware",
    # After the session limits (an idle session is signed out, not asked for a code):
    # a signed-in user who still owes the second factor reaches only its pages.
    "shelter.twofactor.SecondFactorMiddleware",
    # After the two-step gate: the signed-in staff member's own language for every page.
    "shelter.middleware.StaffLanguageMiddleware",
    "shelter.audit.AuditRefusalMiddleware",
    # Last, as django-axes asks: it turns a lockout into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shelter.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.i18n",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shelter.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "shelter.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "shelter.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes first: it refuses a locked-out username+address before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failures are counted per username *and* address together: one address cannot lock
# out every account, and one account cannot be locked out from everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "shelter.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "shelter.addresses.client_ip"
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none; the
# address is then REMOTE_ADDR). Used for lockouts and the audit trail.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Axes would log each failure with the typed username (sometimes a password typed in
# the wrong box); the audit trail records failures without it.
AXES_VERBOSE = False

# Two-step sign-in (a code from an authenticator app, or a single-use backup code) is
# required for supervisors and administrators, and for anyone who turned it on. Only the
# demo (DEBUG on) may run without it, so its printed passwords work on their own.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", default=True)
if not TWO_FACTOR_REQUIRED and not DEBUG:
    raise ImproperlyConfigured(
        "TWO_FACTOR_REQUIRED can only be turned off with DEBUG on (for the demo); "
        "supervisors and administrators must use two-step sign-in in production."
    )
# The name authenticator apps show next to the account.
OTP_TOTP_ISSUER = env_str("TWO_FACTOR_ISSUER", "Shelter technology plans")
# After each wrong code the next try waits twice as long: 1, 2, 4, 8… seconds.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# django-otp's own device admin (superusers only) shows no secret keys or backup codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Argon2 for new and changed passwords; PBKDF2 stays so older hashes still verify and
# are upgraded to Argon2 at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions live in the database so several stateless app servers can share them.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The absolute limit of a session, also enforced on the server by SessionLimitsMiddleware.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 60 * 60, minimum=60)
# Seconds without a request after which the server signs the session out.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 15 * 60, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

_HTTPS = not DEBUG and env_bool("HTTPS", default=True)
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_SSL_REDIRECT = _HTTPS and env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# Preload asks browsers to ship the rule built in (check --deploy expects it); set false
# if some subdomain of the agency's domain cannot serve HTTPS.
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0 and env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere: JavaScript lives in static/js, CSS in static/css.
# Bootstrap's CSS draws some icons with data: URIs, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
    }
}

# The interface comes in English and Spanish; each staff member picks theirs (User.language,
# activated per request by shelter.middleware.StaffLanguageMiddleware). Pages seen before
# sign-in are in English. Keep LANGUAGES the same as shelter.models.Language (a test checks).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# The agency's time zone: what staff read on screen and what "right now" means.
TIME_ZONE = env_str("AGENCY_TIME_ZONE", "America/New_York")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"AGENCY_TIME_ZONE must be an IANA zone such as America/Chicago, not {TIME_ZONE!r}"
    ) from None

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Restrictions longer than this need a supervisor's approval before they take effect.
RESTRICTION_APPROVAL_HOURS = env_int("RESTRICTION_APPROVAL_HOURS", 72, minimum=1)
# No restriction may last longer than this: harm reduction, never open-ended.
RESTRICTION_MAX_DAYS = env_int("RESTRICTION_MAX_DAYS", 30, minimum=1)

# Logs carry no personal data: identifiers only, never names or free text about youth.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Exception messages and tracebacks can quote personal data or SQL: see shelter/logfilters.py.
    "filters": {"redact_exceptions": {"()": "shelter.logfilters.RedactExceptionFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_exceptions"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django logs the failing request's path and body on 4xx/5xx; paths carry only ids.
        "django.request": {
            "level": "ERROR",
            "propagate": True,
            "filters": ["redact_exceptions"],
        },
    },
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "shelter-plans@localhost")
# The SMTP server (used when EMAIL_BACKEND is the SMTP one, the default with DEBUG off).
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Seconds before a silent mail server counts as a failed send (tried again next run),
# so a cron run never hangs.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)

# The address staff open the app at: links in emails (the daily digest) start with it.
# It may end in a folder when the app is served under one.
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.netloc or _site.query or _site.fragment:
    raise ImproperlyConfigured(
        f"SITE_URL must be the app's address such as https://plans.example.org, not {SITE_URL!r}"
    )
