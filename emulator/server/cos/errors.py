"""COS errors: each carries its XML ``Code`` and HTTP status; ``wire.error`` writes the body."""

from __future__ import annotations


class CosError(Exception):
    code = "InternalError"
    status = 500
    default_message = "We encountered an internal error. Please try again."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class AccessDenied(CosError):
    code, status, default_message = "AccessDenied", 403, "Access Denied."


class InvalidAccessKeyId(CosError):
    code, status, default_message = "InvalidAccessKeyId", 403, "The access key Id format you provided is invalid."


class SignatureDoesNotMatch(CosError):
    code, status = "SignatureDoesNotMatch", 403
    default_message = "The Signature you specified does not match."


class RequestTimeTooSkewed(CosError):
    code, status, default_message = "RequestTimeTooSkewed", 403, "The difference between the request time and the server's time is too large."


class InvalidToken(CosError):
    code, status, default_message = "InvalidToken", 400, "The provided security token is malformed or otherwise invalid."


class NoSuchKey(CosError):
    code, status, default_message = "NoSuchKey", 404, "The specified key does not exist."


class NoSuchUpload(CosError):
    code, status, default_message = "NoSuchUpload", 404, "The specified multipart upload does not exist."


class InvalidPart(CosError):
    code, status, default_message = "InvalidPart", 400, "One or more of the specified parts could not be found."


class InvalidPartOrder(CosError):
    code, status, default_message = "InvalidPartOrder", 400, "The list of parts was not in ascending order."


class EntityTooSmall(CosError):
    code, status, default_message = "EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed object size."


class MalformedXML(CosError):
    code, status, default_message = "MalformedXML", 400, "The XML you provided was not well-formed."


class InvalidArgument(CosError):
    code, status, default_message = "InvalidArgument", 400, "Invalid Argument."


class MethodNotAllowed(CosError):
    code, status, default_message = "MethodNotAllowed", 405, "The specified method is not allowed against this resource."


class EntityTooLarge(CosError):
    code, status, default_message = "EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed object size."
