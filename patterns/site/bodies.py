"""Request bodies: the one way in.

Every body the server reads comes through here — the JSON API's parser (playground/api.py), the
room guard's look for "room", Shop's API recording its exchanges, the webhook receiver and the
file upload — so one set of limits holds everywhere, each refusal a JSON 4xx in the API's shape:

- size: a Content-Length over the path's limit is a 413 decided before a byte of the body is
  read (playground/asgi_handler.py answers it before Django reads the body); a body without a length
  (chunked) is a 411, since Django would read it whole and then see none of it;
- type: a body that is neither JSON nor (where files are taken) multipart is a 415; multipart
  without a boundary, or a file name no file system keeps, is a 400;
- shape: JSON is read by safejson.loads, which refuses (400) what json.loads would choke on or
  let through to crash later: deep nesting, NaN, huge numbers, lone surrogates, bad UTF-8.

Paths are declared with `guard(prefix, …)` by the app that owns them (in its AppConfig.ready).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParserError

from patterns.ledger.safejson import BodyRefused, loads  # noqa: F401  (the one way in, for callers)

MAX_FILE_NAME_BYTES = 255  # what file systems keep (a longer one broke Django's temporary file)
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
_CACHE = "_playground_json"


@dataclass(frozen=True)
class Rule:
    max_bytes: int | None  # None: settings.API_MAX_BODY_BYTES
    read_by_view: (
        bool  # the view reads the body itself, to record its refusal (Shop's API, a receiver)
    )

    def limit(self):
        return self.max_bytes or getattr(settings, "API_MAX_BODY_BYTES", 1024 * 1024)


_rules = {}


def guard(prefix, max_bytes=None, read_by_view=False):
    """Apply the limits to every request under `prefix` (the longest declared prefix wins)."""
    _rules[prefix] = Rule(max_bytes, read_by_view)


def rule_for(path):
    matches = [prefix for prefix in _rules if path.startswith(prefix)]
    return _rules[max(matches, key=len)] if matches else None


# At the door: from the headers alone ----------------------------------------------------------


def refused_at_door(path, content_length, chunked):
    """The refusal a request gets before its body is read (None: let it in)."""
    rule = rule_for(path)
    if rule is None:
        return None
    if content_length is None or content_length == "":
        if chunked:
            return BodyRefused(
                411,
                "length_required",
                "send the body with a Content-Length (chunked bodies are not read)",
            )
        return None
    if not content_length.isdigit():
        return BodyRefused(400, "bad_request", "Content-Length must be a number of bytes")
    if int(content_length) > rule.limit():
        return BodyRefused(
            413,
            "too_large",
            f"the body is {content_length} bytes; the limit here is {rule.limit()} bytes",
        )
    return None


def is_json(request):
    return request.content_type == "application/json" or (request.content_type or "").endswith(
        "+json"
    )


def read_json(request):
    """The request's JSON body (None when empty), read once per request; BodyRefused otherwise."""
    cached = getattr(request, _CACHE, None)
    if cached is None:
        try:
            cached = (_read_json(request), None)
        except BodyRefused as refused:
            cached = (None, refused)
        setattr(request, _CACHE, cached)
    value, refused = cached
    if refused:
        raise refused
    return value


def _read_json(request):
    refused = refused_at_door(request.path_info, request.META.get("CONTENT_LENGTH"), False)
    if refused:
        raise refused
    try:
        raw = request.body
    except RequestDataTooBig:
        raise BodyRefused(413, "too_large", "the body is too large") from None
    if not raw:
        return None
    if not is_json(request):
        raise BodyRefused(
            415,
            "unsupported_media_type",
            f"send JSON with Content-Type: application/json (not {request.content_type or 'none'})",
        )
    return loads(raw)


# Multipart -------------------------------------------------------------------------------------


class FileNameLimit(FileUploadHandler):
    """First in line: refuses a file name longer than file systems keep, before any file is made."""

    def new_file(self, field_name, file_name, *args, **kwargs):
        if len((file_name or "").encode("utf-8", "surrogatepass")) > MAX_FILE_NAME_BYTES:
            raise BodyRefused(
                400,
                "bad_file_name",
                f"a file name may have at most {MAX_FILE_NAME_BYTES} bytes",
                "file",
            )

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


def read_form(request):
    """Parse a multipart body (request.POST / request.FILES), refusing what cannot be parsed."""
    if not request.content_params.get("boundary"):
        raise BodyRefused(
            400, "bad_multipart", "a multipart/form-data body needs a boundary in its Content-Type"
        )
    request.upload_handlers.insert(0, FileNameLimit(request))
    try:
        request.FILES  # noqa: B018  (parses POST and FILES together)
    except RequestDataTooBig:
        raise BodyRefused(413, "too_large", "the form's fields are too large") from None
    except (MultiPartParserError, SuspiciousOperation) as exc:
        raise BodyRefused(
            400, "bad_multipart", f"the multipart body cannot be read: {exc}"
        ) from None


def read(request):
    """Read and check an unsafe request's body as its content type says (JSON or multipart)."""
    if request.method not in UNSAFE or request.META.get("CONTENT_LENGTH") in (None, "", "0"):
        return
    if request.content_type == "multipart/form-data":
        read_form(request)
    else:
        read_json(request)
