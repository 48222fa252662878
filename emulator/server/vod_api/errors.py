"""VOD OpenAPI errors: each carries its wire ``Code`` and HTTP status; ``wire`` writes the envelope.

Codes, statuses and messages are the ones of Alibaba Cloud's common error codes (gateway
errors: signature, nonce, timestamp, action) and of the VOD API pages (``InvalidVideo.NotFound``).
The SDKs raise their own exceptions from the status and the ``Code``/``Message`` fields.
"""

from __future__ import annotations


class VodError(Exception):
    code = "InternalError"
    status = 500
    default_message = "The request processing has failed due to some unknown error."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class InternalError(VodError):
    pass


class MissingParameter(VodError):
    code, status = "MissingParameter", 400

    def __init__(self, name: str) -> None:
        super().__init__(f"The input parameter \"{name}\" that is mandatory for processing this request "
                         "is not supplied.")


class InvalidParameter(VodError):
    code, status = "InvalidParameter", 400

    def __init__(self, name: str, why: str = "") -> None:
        super().__init__(f"The specified parameter \"{name}\" is not valid.{' ' + why if why else ''}")


class InvalidAccessKeyId(VodError):
    code, status = "InvalidAccessKeyId.NotFound", 404
    default_message = "Specified access key is not found."


class SignatureDoesNotMatch(VodError):
    code, status = "SignatureDoesNotMatch", 400

    def __init__(self, string_to_sign: str) -> None:
        # aliyun-python-sdk-core compares what follows the first ':' with its own string to
        # sign, and reports InvalidAccessKeySecret when they agree (the secret is wrong).
        super().__init__(f"Specified signature is not matched with our calculation. server string to sign "
                         f"is:{string_to_sign}")


class IncompleteSignature(VodError):
    code, status = "IncompleteSignature", 400
    default_message = "The request signature does not conform to Aliyun standards."


class SignatureNonceUsed(VodError):
    code, status = "SignatureNonceUsed", 400
    default_message = "Specified signature nonce was used already."


class InvalidTimeStampExpired(VodError):
    code, status = "InvalidTimeStamp.Expired", 400
    default_message = "Specified time stamp or date value is expired."


class InvalidTimeStampFormat(VodError):
    code, status = "InvalidTimeStamp.Format", 400
    default_message = "Specified time stamp or date value is not well formatted."


class InvalidAction(VodError):
    code, status = "InvalidAction.NotFound", 404
    default_message = "Specified api is not found, please check your url and method."


class InvalidVersion(VodError):
    code, status = "InvalidVersion", 400
    default_message = "Specified parameter Version is not valid."


class ForbiddenRAM(VodError):
    code, status = "Forbidden.RAM", 403
    default_message = "User not authorized to operate on the specified resource, or this API doesn't support RAM."


class Throttling(VodError):
    code, status = "Throttling.User", 400
    default_message = "Request was denied due to user flow control."


class InvalidVideoNotFound(VodError):
    code, status = "InvalidVideo.NotFound", 404
    default_message = "The video does not exist."


class InvalidImageNotFound(VodError):
    code, status = "InvalidImage.NotFound", 404
    default_message = "The image does not exist."


class InvalidMediaNotFound(VodError):
    code, status = "InvalidMedia.NotFound", 404
    default_message = "The media does not exist."


class InvalidVideoStatus(VodError):
    code, status = "InvalidVideo.Status", 403
    default_message = "The video status is invalid for this operation."


class CallbackNotFound(VodError):
    code, status = "MessageCallbackNotFound", 404
    default_message = "The message callback is not configured for this app."


class InvalidUserData(VodError):
    code, status = "InvalidParameter.UserData", 400

    def __init__(self, why: str) -> None:
        super().__init__(f"The specified parameter \"UserData\" is not valid: {why}")
