"""OSS errors: the wire ``Code`` and HTTP status of each; ``wire.error`` writes the XML."""

from __future__ import annotations


class OssError(Exception):
    code, status = "InternalError", 500
    default_message = "We encountered an internal error. Please try again."

    def __init__(self, message: str | None = None, **extra: str) -> None:
        self.message = message or self.default_message
        self.extra = extra            # more <Error> children (StringToSign, OSSAccessKeyId…)
        super().__init__(self.message)


class InternalError(OssError):
    pass


class AccessDenied(OssError):
    code, status = "AccessDenied", 403
    default_message = "You have no right to access this object because of bucket acl."


class InvalidAccessKeyId(OssError):
    code, status = "InvalidAccessKeyId", 403
    default_message = "The OSS Access Key Id you provided does not exist in our records."


class SignatureDoesNotMatch(OssError):
    code, status = "SignatureDoesNotMatch", 403
    default_message = ("The request signature we calculated does not match the signature you provided. "
                       "Check your key and signing method.")


class InvalidSecurityToken(OssError):
    code, status = "InvalidSecurityToken", 403
    default_message = "The security token you provided is invalid."


class SecurityTokenExpired(OssError):
    code, status = "SecurityTokenExpired", 403
    default_message = "The security token you provided has expired."


class RequestTimeTooSkewed(OssError):
    code, status = "RequestTimeTooSkewed", 403
    default_message = "The difference between the request time and the current time is too large."


class InvalidArgument(OssError):
    code, status = "InvalidArgument", 400


class NotImplementedOss(OssError):
    code, status = "NotImplemented", 501
    default_message = "A header you provided implies functionality that is not implemented."


class NoSuchBucket(OssError):
    code, status = "NoSuchBucket", 404
    default_message = "The specified bucket does not exist."


class NoSuchKey(OssError):
    code, status = "NoSuchKey", 404
    default_message = "The specified key does not exist."


class NoSuchUpload(OssError):
    code, status = "NoSuchUpload", 404
    default_message = "The specified upload does not exist. The upload ID may be invalid, or the upload may " \
                      "have been aborted or completed."


class InvalidPart(OssError):
    code, status = "InvalidPart", 400
    default_message = "One or more of the specified parts could not be found or the specified entity tag " \
                      "might not have matched the part's entity tag."


class InvalidPartOrder(OssError):
    code, status = "InvalidPartOrder", 400
    default_message = "The list of parts was not in ascending order. Parts must be ordered by part number."


class EntityTooSmall(OssError):
    code, status = "EntityTooSmall", 400
    default_message = "Your proposed upload is smaller than the minimum allowed object size."


class InvalidDigest(OssError):
    code, status = "InvalidDigest", 400
    default_message = "The Content-MD5 you specified was invalid."


class MalformedXML(OssError):
    code, status = "MalformedXML", 400
    default_message = "The XML you provided was not well-formed or did not validate against our published schema."
