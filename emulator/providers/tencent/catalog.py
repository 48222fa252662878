"""The Tencent Cloud VOD event catalog: one entry per ``EventType`` the emulator generates.

A body is one ``EventContent`` object: ``{"EventType": ..., "<payload_key>": {...}}``.
``media_field`` is the dotted path, inside the payload, of the FileId the event is about
(the flow's source file: for edits and 2017-style tasks that is the *input* file).
Some names (TranscodeComplete, RestoreMediaComplete) exist in the Alibaba catalog too:
the provider profile, not the name, decides which catalog a name is looked up in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DOCS = "https://www.tencentcloud.com/document/product/266/"
ZH = "https://cloud.tencent.com/document/product/266/"  # 2017-compat pages exist in Chinese only
# Kinds without an event page of their own point at the event-notification overview.
OVERVIEW = DOCS + "33948"

# Every member of EventContent that carries an event payload (SDK 3.1.194, reference §4.1),
# in model order.  Per EventType one is populated; the others are null or absent.
PAYLOAD_KEYS: tuple[str, ...] = (
    "FileUploadEvent", "ProcedureStateChangeEvent", "FileDeleteEvent", "PullCompleteEvent",
    "EditMediaCompleteEvent", "SplitMediaCompleteEvent", "ComposeMediaCompleteEvent", "ClipCompleteEvent",
    "TranscodeCompleteEvent", "CreateImageSpriteCompleteEvent", "ConcatCompleteEvent",
    "SnapshotByTimeOffsetCompleteEvent", "WechatPublishCompleteEvent", "WechatMiniProgramPublishCompleteEvent",
    "RemoveWatermarkCompleteEvent", "RestoreMediaCompleteEvent", "RebuildMediaCompleteEvent",
    "ExtractTraceWatermarkCompleteEvent", "ExtractCopyRightWatermarkCompleteEvent",
    "ReviewAudioVideoCompleteEvent", "ReduceMediaBitrateCompleteEvent", "DescribeFileAttributesCompleteEvent",
    "QualityInspectCompleteEvent", "QualityEnhanceCompleteEvent", "MediaCastStatusChangedEvent",
    "PersistenceCompleteEvent", "ComplexAdaptiveDynamicStreamingCompleteEvent", "ProcessMediaByMPSCompleteEvent",
    "AigcImageCompleteEvent", "AigcVideoCompleteEvent", "ExtractBlindWatermarkComplete",
    "SceneAigcImageCompleteEvent", "ProcessImageAsyncCompleteEvent", "CreateAigcAdvancedCustomElementCompleteEvent",
    "CreateAigcCustomVoiceCompleteEvent", "DescribeAigcFaceInfoAsyncCompleteEvent", "AigcHunyuan3DCompleteEvent",
)


@dataclass(frozen=True, slots=True)
class EventKind:
    name: str
    event_type: str
    payload_key: str
    summary: str
    doc: str
    media_field: str | None = "FileId"   # None: the payload names no FileId member
    # False where the payload has no error fields at all: the service reports no failed
    # upload, deletion or restore through this event, so there is no failure form to emit.
    failure_form: bool = True
    legacy_2017: bool = False  # a task started through the 2017 APIs

    @property
    def schema_name(self) -> str:
        return self.event_type

    def media_id(self, body: dict[str, Any]) -> str | None:
        """The FileId at ``media_field`` in ``body``'s payload, or ``None`` where absent."""
        node: Any = body.get(self.payload_key)
        if self.media_field is None:
            return None
        for part in self.media_field.split("."):
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif isinstance(node, dict):
                node = node.get(part)
            else:
                return None
        return node if isinstance(node, str) and node else None


KINDS: tuple[EventKind, ...] = (
    EventKind("NewFileUpload", "NewFileUpload", "FileUploadEvent",
              "Media upload completed", DOCS + "33950", failure_form=False),
    EventKind("ProcedureStateChanged", "ProcedureStateChanged", "ProcedureStateChangeEvent",
              "Task flow (Procedure / ProcessMedia) finished or changed state", DOCS + "33953"),
    EventKind("FileDeleted", "FileDeleted", "FileDeleteEvent",
              "Media deletion completed", DOCS + "33952", media_field="FileIdSet.0", failure_form=False),
    EventKind("PullComplete", "PullComplete", "PullCompleteEvent",
              "Pull upload (PullUpload from a URL) completed", DOCS + "33951"),
    EventKind("EditMediaComplete", "EditMediaComplete", "EditMediaCompleteEvent",
              "Video editing (EditMedia) completed", DOCS + "33954", media_field="Input.FileInfoSet.0.FileId"),
    EventKind("SplitMediaComplete", "SplitMediaComplete", "SplitMediaCompleteEvent",
              "Video splitting (SplitMedia) completed", OVERVIEW,
              media_field="FileInfoSet.0.Input.FileId"),
    EventKind("ComposeMediaComplete", "ComposeMediaComplete", "ComposeMediaCompleteEvent",
              "Media composition (ComposeMedia) completed", DOCS + "35571",
              media_field="Input.Tracks.0.TrackItems.0.VideoItem.SourceMedia"),
    EventKind("ClipComplete", "ClipComplete", "ClipCompleteEvent",
              "Video clipping completed (2017 API)", DOCS + "33960", media_field="SrcFileId", legacy_2017=True),
    EventKind("TranscodeComplete", "TranscodeComplete", "TranscodeCompleteEvent",
              "Video transcoding completed (2017 API)", ZH + "7832", legacy_2017=True),
    EventKind("CreateImageSpriteComplete", "CreateImageSpriteComplete", "CreateImageSpriteCompleteEvent",
              "Image sprite generation completed (2017 API)", DOCS + "33959", legacy_2017=True),
    EventKind("ConcatComplete", "ConcatComplete", "ConcatCompleteEvent",
              "Video concatenation completed (2017 API)", ZH + "7834", media_field="FileInfoSet.0.FileId",
              legacy_2017=True),
    EventKind("CreateSnapshotByTimeOffsetComplete", "CreateSnapshotByTimeOffsetComplete",
              "SnapshotByTimeOffsetCompleteEvent", "Time-point screenshots completed (2017 API)", DOCS + "33958",
              legacy_2017=True),
    EventKind("ReviewAudioVideoComplete", "ReviewAudioVideoComplete", "ReviewAudioVideoCompleteEvent",
              "Audio/video content review completed", DOCS + "50677", media_field="Input.FileId"),
    EventKind("RestoreMediaComplete", "RestoreMediaComplete", "RestoreMediaCompleteEvent",
              "Media restore (from ARCHIVE / DEEP_ARCHIVE) completed", DOCS + "45005", failure_form=False),
    EventKind("DescribeFileAttributesComplete", "DescribeFileAttributesComplete",
              "DescribeFileAttributesCompleteEvent", "File attributes (MD5/SHA1) computed", OVERVIEW),
    EventKind("WechatMiniProgramPublishComplete", "WechatMiniProgramPublishComplete",
              "WechatMiniProgramPublishCompleteEvent", "WeChat Mini Program publishing completed", OVERVIEW),
    # Newer types of the SDK's EventContent; no event page shows their bodies.
    EventKind("QualityInspectComplete", "QualityInspectComplete", "QualityInspectCompleteEvent",
              "Audio/video quality inspection completed", OVERVIEW, media_field="Input.FileId"),
    EventKind("QualityEnhanceComplete", "QualityEnhanceComplete", "QualityEnhanceCompleteEvent",
              "Audio/video quality enhancement (remaster) completed", OVERVIEW, media_field="Input.FileId"),
    EventKind("PersistenceComplete", "PersistenceComplete", "PersistenceCompleteEvent",
              "Clip persistence (SimpleHlsClip / FastEditMedia / LiveRealTimeClip) completed", OVERVIEW,
              failure_form=False),
    EventKind("ComplexAdaptiveDynamicStreamingComplete", "ComplexAdaptiveDynamicStreamingComplete",
              "ComplexAdaptiveDynamicStreamingCompleteEvent", "Complex adaptive-bitrate streaming completed",
              OVERVIEW, media_field=None),
    EventKind("ProcessMediaByMPSComplete", "ProcessMediaByMPSComplete", "ProcessMediaByMPSCompleteEvent",
              "Media processing through MPS completed", OVERVIEW, media_field=None),
    EventKind("ExtractTraceWatermarkComplete", "ExtractTraceWatermarkComplete", "ExtractTraceWatermarkCompleteEvent",
              "Trace (viewer) watermark extracted", OVERVIEW, media_field="Input.FileId"),
    EventKind("ExtractCopyRightWatermarkComplete", "ExtractCopyRightWatermarkComplete",
              "ExtractCopyRightWatermarkCompleteEvent", "Copyright watermark extracted", OVERVIEW, media_field=None),
    # The event type has no "Complete" (the member does): RemoveWatermark → RemoveWatermarkCompleteEvent.
    EventKind("RemoveWatermark", "RemoveWatermark", "RemoveWatermarkCompleteEvent",
              "Smart watermark removal completed", OVERVIEW, media_field="Input.FileId"),
)

BY_NAME: dict[str, EventKind] = {k.name: k for k in KINDS}
EVENT_TYPES: frozenset[str] = frozenset(k.event_type for k in KINDS)


def kind(name: str) -> EventKind:
    """Look a kind up by catalog name; raises KeyError for unknown names."""
    return BY_NAME[name]
