"""Tencent Cloud API 3.0 errors: each carries its wire ``Code``; ``app`` writes the envelope.

Every error is answered with HTTP 200 and ``{"Response": {"Error": {"Code", "Message"},
"RequestId"}}`` (reference §3 "Responses"), so there is no status here.  Codes are the
ones of the common error-code table and of the VOD action pages; the messages follow the
service's English style where it has one.
"""

from __future__ import annotations


class TencentError(Exception):
    """An error answer: ``code`` is the API 3.0 ``Error.Code``."""

    code = "InternalError"
    default_message = "An internal error has occurred. Retry your request."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class InternalError(TencentError):
    pass


# Who is asking (TC3-HMAC-SHA256).
class SignatureFailure(TencentError):
    code = "AuthFailure.SignatureFailure"
    default_message = "The provided credentials could not be validated. Please check your signature is correct."


class SecretIdNotFound(TencentError):
    code = "AuthFailure.SecretIdNotFound"
    default_message = "The SecretId is not found, please ensure that your SecretId is correct."


class SignatureExpire(TencentError):
    code = "AuthFailure.SignatureExpire"
    default_message = "Signature expired. Timestamp and server time cannot differ by more than five minutes."


# What is asked.
class InvalidAction(TencentError):
    code = "InvalidAction"
    default_message = "The requested action does not exist."


class NoSuchVersion(TencentError):
    code = "NoSuchVersion"
    default_message = "The requested version does not exist or is not supported for this action: use 2018-07-17."


class MissingParameter(TencentError):
    code = "MissingParameter"

    def __init__(self, name: str, hint: str = "") -> None:
        super().__init__(f"The request is missing a required parameter `{name}`.{hint}")


class UnknownParameter(TencentError):
    code = "UnknownParameter"

    def __init__(self, name: str, hint: str = "") -> None:
        super().__init__(f"The parameter `{name}` is not recognized.{hint}")


class UnsupportedOperation(TencentError):
    code = "UnsupportedOperation"
    default_message = "The operation is not supported."


class InvalidParameter(TencentError):
    """The request's format or a parameter's type is wrong (malformed JSON included)."""
    code = "InvalidParameter"
    default_message = "The request parameters are invalid."


class InvalidParameterValue(TencentError):
    """A parameter has the right type but a value the action refuses (expired handle included)."""
    code = "InvalidParameterValue"
    default_message = "A parameter value is invalid."


class ResourceNotFound(TencentError):
    code = "ResourceNotFound"
    default_message = "The resource does not exist."


class UnauthorizedOperation(TencentError):
    code = "AuthFailure.UnauthorizedOperation"
    default_message = "The request is not authorized."


class CodedError(TencentError):
    """An error with a sub-code of the action's own table (``ResourceNotFound.FileNotExist``…)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
