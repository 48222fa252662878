"""MNS errors: each carries its wire code and HTTP status; ``wire`` turns them into XML.

Codes, statuses and message texts are the ones Alibaba Cloud documents for the queue API
(the error-code page, the per-operation "special error" tables); where a text is not
documented the message says what went wrong in the same style.
"""

from __future__ import annotations

from dataclasses import dataclass


class MnsError(Exception):
    """An error answer: ``code`` is the MNS ``<Code>``, ``status`` the HTTP status."""

    code = "InternalError"
    status = 500
    default_message = "Interal error."   # sic, as the service spells it

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class InternalError(MnsError):
    pass


# 400: the request itself is wrong.
class InvalidArgument(MnsError):
    code, status, default_message = "InvalidArgument", 400, "The argument you provided is invalid."


class MalformedXML(MnsError):
    code, status, default_message = "MalformedXML", 400, "The XML you provided was not well-formed."


class InvalidRequestURL(MnsError):
    code, status, default_message = "InvalidRequestURL", 400, "Http request URL format invalid."


class InvalidQueryString(MnsError):
    code, status = "InvalidQueryString", 400

    def __init__(self, item: str) -> None:
        super().__init__(f'Http request URL contains invalid querystring item "{item}".')


class InvalidQueueName(MnsError):
    code, status = "InvalidQueueName", 400
    default_message = ("The queue name you provided is invalid: use letters, digits and hyphens, "
                       "starting with a letter or digit.")


class QueueNameLengthError(MnsError):
    code, status = "QueueNameLengthError", 400
    default_message = "The length of queue name should be between 1 and 120."


class ReceiptHandleError(MnsError):
    code, status, default_message = "ReceiptHandleError", 400, "The receipt handle you provide is not valid."


class MissingReceiptHandle(MnsError):
    code, status, default_message = "MissingReceiptHandle", 400, "ReceiptHandle is required."


class MissingVisibilityTimeout(MnsError):
    code, status, default_message = "MissingVisibilityTimeout", 400, "VisibilityTimeout is required."


class InvalidDigest(MnsError):
    code, status = "InvalidDegist", 400   # sic: the service's spelling
    default_message = "The Content-MD5 you specified did not match what we received."


class MissingAuthorizationHeader(MnsError):
    code, status, default_message = "MissingAuthorizationHeader", 400, "Authorization header is required."


class InvalidAuthorizationHeader(MnsError):
    code, status, default_message = "InvalidAuthorizationHeader", 400, "The Authorization header format is invalid."


class MissingDateHeader(MnsError):
    code, status, default_message = "MissingDateHeader", 400, "Date header is required."


class InvalidDateHeader(MnsError):
    code, status, default_message = "InvalidDateHeader", 400, "The Date header format is invalid."


class MissingVersionHeader(MnsError):
    code, status, default_message = "MissingVersionHeader", 400, "x-mns-version header is required."


class InvalidVersionHeader(MnsError):
    code, status, default_message = "InvalidVersionHeader", 400, "The x-mns-version header must be 2015-06-06."


# 403: who is asking.
class SignatureDoesNotMatch(MnsError):
    code, status = "SignatureDoesNotMatch", 403
    default_message = "The request signature we calculated does not match the signature you provided."


class InvalidAccessKeyId(MnsError):
    code, status, default_message = "InvalidAccessKeyId", 403, "The AccessKey Id you provided is not exist."


class AccessDenied(MnsError):
    code, status = "AccessDenied", 403
    default_message = "The OwnerId that your Access Key Id associated to is forbidden for this operation."


# 404 / 409: the state says no.
class QueueNotExist(MnsError):
    code, status, default_message = "QueueNotExist", 404, "The queue name you provided is not exist."


class MessageNotExist(MnsError):
    code, status, default_message = "MessageNotExist", 404, "Message not exist."


class QueueAlreadyExist(MnsError):
    code, status = "QueueAlreadyExist", 409
    default_message = "The queue you want to create already exists with different attributes."


@dataclass(frozen=True, slots=True)
class BatchFailure:
    """One failed entry of a batch: its position (send) or receipt handle (delete)."""
    error: MnsError
    index: int = -1
    receipt_handle: str = ""


class BatchSendError(MnsError):
    """Some messages of a BatchSendMessage were refused; ``results`` has one entry per input."""

    code, status = "InvalidArgument", 400

    def __init__(self, results: list) -> None:          # list[SentMessage | MnsError]
        self.results = results
        first = next(r for r in results if isinstance(r, MnsError))
        self.code = first.code
        super().__init__(first.message)


class BatchDeleteError(MnsError):
    """Some receipt handles of a BatchDeleteMessage failed; the others were deleted."""

    code, status = "MessageNotExist", 404

    def __init__(self, failures: list[BatchFailure]) -> None:
        self.failures = failures
        self.code = failures[0].error.code
        super().__init__(failures[0].error.message)
