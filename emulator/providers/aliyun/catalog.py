"""The Alibaba VOD event catalog: one entry per documented callback body.

Names are the wire ``EventType`` except for the second UploadByURLComplete variant
(an UploadStreamByURL job), which is catalogued as ``UploadByURLComplete:Stream``; its
body still says ``"EventType": "UploadByURLComplete"`` and is told apart by ``FileType``.
"""

from __future__ import annotations

from dataclasses import dataclass

DOCS = "https://www.alibabacloud.com/help/en/vod/user-guide/"


@dataclass(frozen=True, slots=True)
class EventKind:
    name: str
    event_type: str
    media_field: str
    summary: str
    doc: str
    success: str = "success"
    failure: str = "fail"
    # The docs say no notification is sent for a failed upload; the fail form exists
    # (Status lists it) but the real service does not emit it.
    fail_sent_by_service: bool = True

    def status_word(self, ok: bool) -> str:
        return self.success if ok else self.failure

    @property
    def schema_name(self) -> str:
        return self.event_type


KINDS: tuple[EventKind, ...] = (
    EventKind("FileUploadComplete", "FileUploadComplete", "VideoId",
              "Video upload completed", DOCS + "fileuploadcomplete", fail_sent_by_service=False),
    EventKind("ImageUploadComplete", "ImageUploadComplete", "ImageId",
              "Image upload completed", DOCS + "imageuploadcomplete", fail_sent_by_service=False),
    EventKind("AttachedMediaUploadComplete", "AttachedMediaUploadComplete", "AttachedMediaId",
              "Auxiliary media asset upload completed", DOCS + "attachedmediauploadcomplete",
              fail_sent_by_service=False),
    EventKind("UploadByURLComplete", "UploadByURLComplete", "VideoId",
              "Video upload from URL completed (UploadMediaByURL)", DOCS + "uploadbyurlcomplete"),
    EventKind("UploadByURLComplete:Stream", "UploadByURLComplete", "VideoId",
              "Transcoded stream upload from URL completed (UploadStreamByURL)",
              DOCS + "uploadbyurlcomplete-1"),
    EventKind("StreamTranscodeComplete", "StreamTranscodeComplete", "VideoId",
              "Transcoding of one definition/format completed", DOCS + "streamtranscodecomplete"),
    EventKind("TranscodeComplete", "TranscodeComplete", "VideoId",
              "Transcoding of all definitions completed", DOCS + "transcodecomplete"),
    EventKind("SnapshotComplete", "SnapshotComplete", "VideoId",
              "Video snapshots completed", DOCS + "snapshotcomplete"),
    EventKind("DynamicImageComplete", "DynamicImageComplete", "VideoId",
              "Animated image (GIF) completed", DOCS + "dynamicimagecomplete"),
    EventKind("VideoAnalysisComplete", "VideoAnalysisComplete", "VideoId",
              "Source file analysis completed", DOCS + "videoanalysiscomplete"),
    EventKind("AddLiveRecordVideoComplete", "AddLiveRecordVideoComplete", "VideoId",
              "Live stream recording produced a video", DOCS + "addliverecordvideocomplete"),
    EventKind("LiveRecordVideoComposeStart", "LiveRecordVideoComposeStart", "VideoId",
              "Composition of a recorded video started", DOCS + "liverecordvideocomposestart"),
    EventKind("CreateAuditComplete", "CreateAuditComplete", "MediaId",
              "Manual review completed", DOCS + "createauditcomplete"),
    EventKind("ProduceMediaComplete", "ProduceMediaComplete", "MediaId",
              "Video editing and composition completed", DOCS + "producemediacomplete"),
    EventKind("DeleteMediaComplete", "DeleteMediaComplete", "MediaId",
              "Media asset deletion completed", DOCS + "deletemediacomplete"),
    EventKind("MediaBaseChangeComplete", "MediaBaseChangeComplete", "MediaId",
              "Basic media information changed", DOCS + "mediabasechangecomplete"),
    EventKind("UpdateMediaStorageClassComplete", "UpdateMediaStorageClassComplete", "MediaId",
              "Media storage class change completed", DOCS + "updatemediastorageclasscomplete",
              success="Success", failure="Failed"),
    EventKind("RestoreMediaComplete", "RestoreMediaComplete", "MediaId",
              "Media restoration (from archive) completed", DOCS + "restoremediacomplete",
              success="Success", failure="Failed"),
    EventKind("SubmitMediaRefreshComplete", "SubmitMediaRefreshComplete", "MediaId",
              "CDN purge/prefetch submitted for a media", DOCS + "submitmediarefreshcomplete"),
    EventKind("WorkflowTaskComplete", "WorkflowTaskComplete", "VideoId",
              "Workflow task completed", DOCS + "workflow-task-completion",
              success="Succeed", failure="Failed"),
    EventKind("AIMediaAuditComplete", "AIMediaAuditComplete", "MediaId",
              "AI content review completed", DOCS + "aimediaauditcomplete"),
    EventKind("AIMediaDNAComplete", "AIMediaDNAComplete", "MediaId",
              "AI media fingerprint completed", DOCS + "aimediadnacomplete"),
    EventKind("AIVideoTagComplete", "AIVideoTagComplete", "MediaId",
              "AI smart tagging completed", DOCS + "aivideotagcomplete"),
)

BY_NAME: dict[str, EventKind] = {k.name: k for k in KINDS}
EVENT_TYPES: frozenset[str] = frozenset(k.event_type for k in KINDS)


def kind(name: str) -> EventKind:
    """Look a kind up by catalog name; raises KeyError for unknown names."""
    return BY_NAME[name]
