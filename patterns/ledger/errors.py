"""The API's one error shape: {"error": code, "detail": text, "field": name?} with a 4xx status.

Styles raise ApiError; playground/api.py turns it, ninja's validation errors and 404s into that
shape, so bad input never becomes a 500 page.
"""

from ninja import Schema


class ApiError(Exception):
    def __init__(self, status, error, detail, field=None, headers=None):
        super().__init__(detail)
        self.status, self.error, self.detail, self.field = status, error, detail, field
        self.headers = headers or {}  # e.g. Retry-After on a 429

    def body(self):
        body = {"error": self.error, "detail": self.detail}
        if self.field:
            body["field"] = self.field
        return body

    def response(self):
        """The error as a JSON response, for code outside ninja (middleware, plain views)."""
        from django.http import JsonResponse

        return JsonResponse(self.body(), status=self.status, headers=self.headers)


def from_validation(errors):
    """An ApiError for ninja's validation errors: 400 for path/query/JSON syntax, 422 for a body
    that parsed but breaks the schema (the field is named)."""
    first = errors[0] if errors else {"loc": (), "msg": "invalid input"}
    loc = [str(part) for part in first.get("loc", ())]
    where = loc[0] if loc else "body"
    message = first.get("msg", "invalid input")
    if where == "body":  # loc is ("body", <the view's parameter>, field, …)
        field = ".".join(loc[2:]) or None
        return ApiError(422, "invalid_body", f"{field or 'body'}: {message}", field)
    field = ".".join(loc[1:]) or None
    return ApiError(400, f"invalid_{where}", f"{field + ': ' if field else ''}{message}", field)


# Every router names this one schema for its 4xx answers, so the OpenAPI document has one error
# component, the shape ApiError.body() writes.
class ErrorOut(Schema):
    """Every error of the API: a code for programs, a sentence for people, and the field at fault."""

    error: str
    detail: str
    field: str | None = None
