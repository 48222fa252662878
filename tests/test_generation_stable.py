"""Generation is byte-stable: the same (seed, index, kind, params, vary, overrides) gives the same bytes.

The digests below were taken from the generators before their speed-ups; any drift in any
body (a draw moved, a field reordered, a float formatted differently) changes one of them.
A deliberate change of a generator's output updates them: run this file as a script
(``python tests/test_generation_stable.py``) and paste what it prints.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from emulator.errors import InputError
from emulator.events import Event
from emulator.providers import profile

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
N = 50
SCENARIO_EVENTS = 150
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def _digest(events: Iterable[Callable[[], Event]]) -> str:
    h = hashlib.sha256()
    for make in events:
        try:
            e = make()
        except InputError as exc:   # a kind without a failure form: the message is part of the output
            h.update(b"E" + str(exc).encode())
            continue
        h.update(repr((e.event_id, e.provider, e.kind, e.event_type, e.media_id, e.label, e.expect,
                       e.variation)).encode())
        h.update(e.body)
    return h.hexdigest()


def _trigger(provider: str, kind: str, *, seed: int = 1, n: int = N, **kw) -> str:
    prof = profile(provider)
    vary = kw.pop("vary", False)
    factory = prof.factory(seed=seed, start_time=START, region=prof.default_region, vary=vary)
    return _digest((lambda i=i: factory.build(kind, i, **kw)) for i in range(n))


def _scenario(path: Path) -> str:
    from emulator.scenario.loader import load
    from emulator.scenario.timeline import Timeline

    def events():
        for k, (t, e) in enumerate(Timeline(load(path), seed=3, start_time=START)):
            if k == SCENARIO_EVENTS:
                return
            yield lambda t=t, e=e: Event(**{**_fields(e), "label": f"{t:.6f} {e.label}"})
    return _digest(events())


def _fields(e: Event) -> dict:
    return {f: getattr(e, f) for f in Event.__dataclass_fields__}


def cases() -> dict[str, Callable[[], str]]:
    from emulator.providers.aliyun import catalog as aliyun_catalog
    from emulator.providers.aliyun.presets import PRESETS
    from emulator.providers.tencent import catalog as tencent_catalog

    out: dict[str, Callable[[], str]] = {}
    for k in aliyun_catalog.KINDS:
        out[f"aliyun/{k.name}"] = lambda k=k: _trigger("aliyun", k.name)
        out[f"aliyun/{k.name}/fail"] = lambda k=k: _trigger("aliyun", k.name, seed=2, n=20, ok=False)
        out[f"aliyun/{k.name}/vary"] = lambda k=k: _trigger("aliyun", k.name, seed=4, vary=True)
        out[f"aliyun/{k.name}/extend"] = lambda k=k: _trigger("aliyun", k.name, seed=5, n=10, extend='{"a":1}')
    for name in PRESETS:
        for kind in ("StreamTranscodeComplete", "TranscodeComplete"):
            out[f"aliyun/{kind}/preset={name}"] = (
                lambda kind=kind, name=name: _trigger("aliyun", kind, seed=6, params={"preset": name}))
            out[f"aliyun/{kind}/preset={name}/vary"] = (
                lambda kind=kind, name=name: _trigger("aliyun", kind, seed=7, n=20, vary=True,
                                                      params={"preset": name}))
    out["aliyun/StreamTranscodeComplete/set"] = lambda: _trigger(
        "aliyun", "StreamTranscodeComplete", seed=8, n=20, overrides=[("Size", 5), ("Definition", "SD")],
        params={"definition": "HD", "format": "m3u8", "encrypt_type": "HLSEncryption", "codec": "H.265"})
    out["aliyun/TranscodeComplete/failed"] = lambda: _trigger(
        "aliyun", "TranscodeComplete", seed=8, n=20, params={"definitions": ["FD", "SD", "OD"], "failed": ["SD"]})
    out["aliyun/FileUploadComplete/labels"] = lambda: _trigger(
        "aliyun", "FileUploadComplete", seed=9, n=10, label="x", expect="any", event_id="e")
    for k in tencent_catalog.KINDS:
        out[f"tencent/{k.name}"] = lambda k=k: _trigger("tencent", k.name)
        out[f"tencent/{k.name}/fail"] = lambda k=k: _trigger("tencent", k.name, seed=2, n=20, ok=False)
    for path in sorted(SCENARIOS.glob("*.yaml")):
        out[f"scenario/{path.name}"] = lambda path=path: _scenario(path)
    return out


CASES = cases()

EXPECTED: dict[str, str] = {
    'aliyun/AIMediaAuditComplete': '2d411681358494560ca9d70c7c84be93d744707ee4229f9533d082ee8e25c8f5',
    'aliyun/AIMediaAuditComplete/extend': '516ea92000542e34163acb8a22c0c27019e8e15ef333ae1ba0cbb814d50c8454',
    'aliyun/AIMediaAuditComplete/fail': '258b8f8e36e48b3d1d5065c32ff61eec8d264f05a47e2c6b415102681eea7060',
    'aliyun/AIMediaAuditComplete/vary': '27122d032a060c7f372a44daeb9e26c19f2086337505e132771f0e7560ac5ec6',
    'aliyun/AIMediaDNAComplete': '19a362ab9c85865c721f07ae9f47862be9e34cb3a19bd5e2cc055e160640eada',
    'aliyun/AIMediaDNAComplete/extend': '7eca4e5af0c2c5439cdc6a47c70f9c15339d6e9e94690aeb76e8772c4a511b4e',
    'aliyun/AIMediaDNAComplete/fail': 'd6164f58f5f7c87e2f604e3b13334bac2600ce24682c2f1491df6df633174905',
    'aliyun/AIMediaDNAComplete/vary': '98fc394287cefd36cba522921f3ca82a67990952e1efc63741b4e6a681f34d87',
    'aliyun/AIVideoTagComplete': 'b51e2ee656b19555fbf2c209a679e095668590c1f5ba2e6ec2fde17b3e27182e',
    'aliyun/AIVideoTagComplete/extend': '6f43941547b5d57738f41da57a91109f89b0b46990323a92f0b661ed08575519',
    'aliyun/AIVideoTagComplete/fail': '1aff5e85368234a0d001914a279a744229efae18460ef8a6084c93d44ee04f98',
    'aliyun/AIVideoTagComplete/vary': '4023afa84c2aa57621a4dd47f491c825fb7995fdb6f9485638c1adaa4da3ea5b',
    'aliyun/AddLiveRecordVideoComplete': '13df6a32f6949593742a8cb1e784fdc729a669baea96a0e2a0b740dd22f2dbff',
    'aliyun/AddLiveRecordVideoComplete/extend': '4197bbeb084ed5d14cb15a109c1459c1d9b632b365f7ce847daa04ad3a7d893d',
    'aliyun/AddLiveRecordVideoComplete/fail': '7c0279748904ae56a1f7e1cdba0cd3e64254206137d0cf5e3210e1a642be7024',
    'aliyun/AddLiveRecordVideoComplete/vary': '6c733ebb6ec51e79724206376c149c290fe05866a040088dd218d3024bddaea3',
    'aliyun/AttachedMediaUploadComplete': '345fcf020e882eb19e421bdb3f449b9e4432180807fec4be1dce37250eda5894',
    'aliyun/AttachedMediaUploadComplete/extend': '154ee863b1df06380df202a791f6bde9900b23749ec7b972fab78e856f8f7093',
    'aliyun/AttachedMediaUploadComplete/fail': '96fac6b701c0895dd1c6385cdb0db9eb1d2a02e1bf040c4673f0000993370881',
    'aliyun/AttachedMediaUploadComplete/vary': '479b5cc2f884229706dfef107faf57f36b93476316ecf5c5dc21c8ef82b7c9b6',
    'aliyun/CreateAuditComplete': '354e8c79bd6b5d6114ca88995b1e8b037a96029142945b62b3a2c6c3e263c7b9',
    'aliyun/CreateAuditComplete/extend': '871a2e990dd203d84960f1bfbd3d4560126295b530ea3d5ef065fef2071ea8e7',
    'aliyun/CreateAuditComplete/fail': 'fb8373f6d613352986810628dd88df5f6e17995c186f56c25def2e05bec4980b',
    'aliyun/CreateAuditComplete/vary': '1c080e94a2d6cedf89c6fcffc3ac779160ab24fd8a950c07405d07cff6e19cfd',
    'aliyun/DeleteMediaComplete': '7b4c744c94ec06bb60544db40c3710e0f9c5a98fc6f6385ead59598ce12073d4',
    'aliyun/DeleteMediaComplete/extend': '7adebbf8326a083b7d3573970641a4e01503913a55ef3db7dfbc799c9b43cb40',
    'aliyun/DeleteMediaComplete/fail': '38dabf8669d001c4088c7c1c235e392358ae6cf8114ebc4e3dbf6e46309da56d',
    'aliyun/DeleteMediaComplete/vary': '7759176dd8db3436ddfa8bc7dd6723190f2ee11eae782ae47b1ade7712c51eed',
    'aliyun/DynamicImageComplete': '32c3ef2fcaaf42a9e00db76ed8de48291a9bd2bf4454cfcae1cd79c2d2b534d1',
    'aliyun/DynamicImageComplete/extend': '772590197685b96853ec9380118d0568c1287ce0dede3e91372be78c8216b722',
    'aliyun/DynamicImageComplete/fail': 'ef22798f22308e360bb476b3f3da6d0029fab78706c00e2920bbd4504f254760',
    'aliyun/DynamicImageComplete/vary': '99a80fe56b60ee97a96a22de2e99195fca2e1440103475c94da73643b0a80993',
    'aliyun/FileUploadComplete': '14785def94d052b0a36300b79f118effc871ea2cdca3945c059d87d96bd2033a',
    'aliyun/FileUploadComplete/extend': '01727158720d6f39e439584ed0b0446b2fb0b03debc7214d6e3a5e1b12b84601',
    'aliyun/FileUploadComplete/fail': '159e2f9d283df40ef32dc795f93529f8ddcc74788628fc85e96cb467eede2d8c',
    'aliyun/FileUploadComplete/labels': '37e63cb1c2648c83fcaa89d20333b9c9e7ef53ba6da8cf6fca0dc277d947a908',
    'aliyun/FileUploadComplete/vary': 'a604ecba2deab4112179a79d16db3568c9a34e322ed872982db226fdd8c5b463',
    'aliyun/ImageUploadComplete': '27e7233da96a60b530311ec0fafd3df3472ddf57bd47f703043942a2972c5c4e',
    'aliyun/ImageUploadComplete/extend': 'e4d690adfcca5fb3946e08a9cd1855b51a30bcdac498632e50941f192e8f99a5',
    'aliyun/ImageUploadComplete/fail': '53704a3b511a40bac60261a32ad120cf3847b9c9fc6dba0fa6f5bdd303a82845',
    'aliyun/ImageUploadComplete/vary': '2acaa6d9e88ae4766e9b1d89dc9d7e2a90acf04f1b8cec1408163a17344584cc',
    'aliyun/LiveRecordVideoComposeStart': '3e4e4fe8f1bfc4cb99f2575cc857077b22d140994f38ae4d943bc3bda729f6ea',
    'aliyun/LiveRecordVideoComposeStart/extend': '43c5898c196214651be1f36f2cbd0390c6cc94e13a2428d7b49dc9c096fa39c4',
    'aliyun/LiveRecordVideoComposeStart/fail': '8a6cff8af8e7153f5d6614652e86b6c7b1bc114e04a2a671bc81d6ccf92c1c23',
    'aliyun/LiveRecordVideoComposeStart/vary': '1c518bd0b78ab89f2b195fb567bac436e560d4aa0aa885bddac3049fc0860d93',
    'aliyun/MediaBaseChangeComplete': '6dfb9448e3d867f50ba608c24af105094a1e806852c40b138ca3c4c7dba3e8b1',
    'aliyun/MediaBaseChangeComplete/extend': '220282761d67aafefb7ddc51bf7f2923adeaaeec95d20f039e0785fbfe18cacf',
    'aliyun/MediaBaseChangeComplete/fail': '63557416d0b1f019002cfcb7ff8c48e50a0750e0d913eb4d87d42c21bfc904bb',
    'aliyun/MediaBaseChangeComplete/vary': '28200a88f686f06e49081316bb86941d4a39920651f108f7f4d637d2c0b0f3fb',
    'aliyun/ProduceMediaComplete': '4e84294ca117f8fc7f7de68ce371f08c3bace9d3d8e00ed83c35099328b490e0',
    'aliyun/ProduceMediaComplete/extend': '5201cec3cb39c39b5a4f8bdd6b97679f4e5c0e7a49622f609f0d44ee4b370b0d',
    'aliyun/ProduceMediaComplete/fail': 'e143c059d1a9aa15019f16e6c4889bfa79a24269aa3eeeadfe3458bf945adb06',
    'aliyun/ProduceMediaComplete/vary': 'd3f1d04dd7d165512a396b868b88022aa415b816ac7373752b71b5d3a5e99672',
    'aliyun/RestoreMediaComplete': '94e8737bb86efcbc8b73967e41a8c168fa71f33a2b51d233fe10b686c4847adb',
    'aliyun/RestoreMediaComplete/extend': 'ae58dcaa020f9fa087efd869a15ac93ac98be3ba0bd8fa286f476dce791a146a',
    'aliyun/RestoreMediaComplete/fail': '975eff152afe31394f7b3459a9572fcbd90aeb4805b2b73f88781b72565d0807',
    'aliyun/RestoreMediaComplete/vary': 'f2af29b4e681ca9983b0ae92dc613a354317dd0d0c60e3009c43fd94aaa6d23a',
    'aliyun/SnapshotComplete': 'ca99d02ea057e9bbe72caac20925e40619ba4b72a4c6c1f66d51fb951ccd114d',
    'aliyun/SnapshotComplete/extend': '15d4deb76d2e8619205883cc188bbcb72e1996b1f6fca2c1690958b410140a4f',
    'aliyun/SnapshotComplete/fail': '4376354af7ac330f63387ea9b00bd251ee1f61b953ee08f41b627592297f195a',
    'aliyun/SnapshotComplete/vary': '0e10600f64d129892a2c96499dc979f2454eaed78b68f5d7925f2ff9376cbd09',
    'aliyun/StreamTranscodeComplete': '95d7deecc4ddaea5e257740ba9eef0b677edf889662867c6f2a6eec19f5cdad3',
    'aliyun/StreamTranscodeComplete/extend': '6a92f56ac2c4d831a03e50b2c11d93c6a94eff253a5430fa3de48707b985dfff',
    'aliyun/StreamTranscodeComplete/fail': '34c9f2a81cb1d0a724a094e52d4fa9c6840537aa48ac505d8afcc95da3ed8fb9',
    'aliyun/StreamTranscodeComplete/preset=adaptive': '21db80b39bca205f5b8a1f9c55d63fff8c87c893da563008c862b111cc2a26c5',
    'aliyun/StreamTranscodeComplete/preset=adaptive/vary': 'f8612a4add571fffc2958f52b38b7a8ea5782ae071e21e7d9a5495948a08852c',
    'aliyun/StreamTranscodeComplete/preset=audio': '0716c4d25874c59c627d8e8468225456f088b26ef189b0b433a500df89274888',
    'aliyun/StreamTranscodeComplete/preset=audio/vary': 'c45cb6ba8bb321ad9ecaa0ed98f9740bea494ce20776907a74f4841a162d398f',
    'aliyun/StreamTranscodeComplete/preset=hls': '21db80b39bca205f5b8a1f9c55d63fff8c87c893da563008c862b111cc2a26c5',
    'aliyun/StreamTranscodeComplete/preset=hls-encrypted': 'abebbcc682e08408bf42f2c792d9f272f778babf3facc6f4026818684fd6ca28',
    'aliyun/StreamTranscodeComplete/preset=hls-encrypted/vary': '8be2a80c746bddcf5b60626d992527e13e4f3fb7d99bdb11e27c6ca1c218f163',
    'aliyun/StreamTranscodeComplete/preset=hls-standard-encrypted': 'cf9815670d4c6ac556357372a3f2cf643c2630cc1bde33469b9246b134d89ef4',
    'aliyun/StreamTranscodeComplete/preset=hls-standard-encrypted/vary': '3ddab737f0556fdc8d2a34d85856be327375775c5670cc8c1107f41e64872b5b',
    'aliyun/StreamTranscodeComplete/preset=hls/vary': 'f8612a4add571fffc2958f52b38b7a8ea5782ae071e21e7d9a5495948a08852c',
    'aliyun/StreamTranscodeComplete/preset=mp4': '409818142de07563bc511a6a1fdbb766bdef556f729442cd2b23bf41cee5d8a9',
    'aliyun/StreamTranscodeComplete/preset=mp4/vary': 'd2179ef385b593950e5dee982802d27e3c2734c0da89dd37d4b3b3d0a5bec987',
    'aliyun/StreamTranscodeComplete/preset=narrowband-hd': '465336bc14cbae5d5ff859c7dfd0fd5f98a27037a86f6693504ccca841ffb43a',
    'aliyun/StreamTranscodeComplete/preset=narrowband-hd/vary': '073616ca581846d644383219b302254b1d2ba3fb20c20b7a156e11c784ece98e',
    'aliyun/StreamTranscodeComplete/preset=watermark': 'a7aad6f5d1e80741d024ccc53df306a84a49dd12d41954ec9b9a5228aaf68f5e',
    'aliyun/StreamTranscodeComplete/preset=watermark/vary': '145b9f13060c2f546d454be3d04e7bf5be76a2b81ae765d79abe48e661004533',
    'aliyun/StreamTranscodeComplete/set': '3b5c6f7e6d5b8f06d2136fa3ca08e3c9232fc4da5c2faa825b4482c6757cbda4',
    'aliyun/StreamTranscodeComplete/vary': '12ae3396a03c996cb3dc1083eff64d33671f412dd87c108fcc1e86709378c16d',
    'aliyun/SubmitMediaRefreshComplete': '9df21e0a9be8d7c80b49c6715e711d0e3b2af3a95dbe5940031d60d000395824',
    'aliyun/SubmitMediaRefreshComplete/extend': 'e4f8e26642f8d08c6c1f0f41b0bc73c6467f2e440f917572af73784d70759828',
    'aliyun/SubmitMediaRefreshComplete/fail': '8467de1e90f965a42ddab80d92386347af0504800c66380141bfc2470b66bc84',
    'aliyun/SubmitMediaRefreshComplete/vary': 'b931f5c2a143c6ecda5aa7fdf74f2986826b6e61d98f82e060845eb7cdf38a27',
    'aliyun/TranscodeComplete': '24de677e4262e351774cedbe5d5a0fee0c6fc48b7471a196814811e48a1089b3',
    'aliyun/TranscodeComplete/extend': '77c3c5040316150471b1e6ea38bc4e5cc550caf6cc11f002dbe1645125fc73f1',
    'aliyun/TranscodeComplete/fail': 'ac02fed52663f35755e0227b06cf7a95605c5ccbba77b4c692693b0546de0db9',
    'aliyun/TranscodeComplete/failed': '420cd07022250d004fbadc07f149b415f963e2feba4071b223f5d85e88a9aaca',
    'aliyun/TranscodeComplete/preset=adaptive': 'e239cc54569fac79c69319e0b05b2892576d4289f3b603ee9c806913201026b9',
    'aliyun/TranscodeComplete/preset=adaptive/vary': '36a89a539325aacbd210402c9718d27e7f92e414b538a0a20a1c4d25850a1e6b',
    'aliyun/TranscodeComplete/preset=audio': '8bdf8764af3acdbf8b62b5fb7f25c7a288c99825d050679564569532eeea53fc',
    'aliyun/TranscodeComplete/preset=audio/vary': 'c28fdacd111b1443e1f85a995374029cd41c75246ef838b6005d24e4435cb27f',
    'aliyun/TranscodeComplete/preset=hls': '8479d3bbae337315bd7abe465af7a8498ac421f92afc9112c2389205b8e75401',
    'aliyun/TranscodeComplete/preset=hls-encrypted': 'e0fe1ac1d6774554be0c52a4abb0f58df1d6d09e1a3c4289e08e1abc737c0da4',
    'aliyun/TranscodeComplete/preset=hls-encrypted/vary': 'dc12fc3869b73f8e4620b70d5242dcc6d9b9ab8f1a12312a9d17f2ae50734822',
    'aliyun/TranscodeComplete/preset=hls-standard-encrypted': '13e9f9e9062455009e6a9ebc6183498293458ae68a3d458d0f60835dce1a25dc',
    'aliyun/TranscodeComplete/preset=hls-standard-encrypted/vary': '591d7847c943ed6969f70f888da4bb54faad723dd1154b662565dc983ad0a7ab',
    'aliyun/TranscodeComplete/preset=hls/vary': 'd3dcab53ee08427e3ebe09fe102c25394d6c0ec91910bf8eff1df3a25236f979',
    'aliyun/TranscodeComplete/preset=mp4': '23ebd8f7d81d5b5b0978cbd8b5e069482b1af7049bb321ed847ae01bcaf57915',
    'aliyun/TranscodeComplete/preset=mp4/vary': '55479874496e787b54bbc25b1b62198200bbf9144e98a479f41b91e5e11a29fe',
    'aliyun/TranscodeComplete/preset=narrowband-hd': '8ff85807922f2a0829e16b005e5a328bc3b18cfe84ec40c49bcb82e6f84e5cbf',
    'aliyun/TranscodeComplete/preset=narrowband-hd/vary': '882a36581d28658830bcad6b2f94015843ea23780214d01a66d5ce6e3ed628e6',
    'aliyun/TranscodeComplete/preset=watermark': 'cedcc4e8180080336224913a6731b437b795dad7578c0b834a22859eab6abfba',
    'aliyun/TranscodeComplete/preset=watermark/vary': '82135df219dce7583a1e88afbc16ef183d6c496f47f35c96d732af319ccbba0c',
    'aliyun/TranscodeComplete/vary': '0a79c82e6edfe68dc25fe6cdb19254846e514448fc10f4fe24cab7eea24018df',
    'aliyun/UpdateMediaStorageClassComplete': '4420eade8033580961a8b594a1132f79a7832615e3ca5cf7413f921a71e1bde4',
    'aliyun/UpdateMediaStorageClassComplete/extend': '79bd3dc90827f7b2df3e21fed6fb51ff743cb43d7efbe01e27e1da62866de68d',
    'aliyun/UpdateMediaStorageClassComplete/fail': 'dfd8c23bfd29adb9391ace5273d6a07060e221115f2b33e0c753a438bc8f1e36',
    'aliyun/UpdateMediaStorageClassComplete/vary': 'c8da80b9dba6d722d0e019265604ad7d4cbf0c86e6b32807a6a881fe81f7f016',
    'aliyun/UploadByURLComplete': 'aa43bfa521e42ba41ac53b243aa4a4a6f93e23f851e14421bf366b3bbe6b1996',
    'aliyun/UploadByURLComplete/extend': '7e241bf3b10cf9677e3ae89b9a2fa62cf66d0708bba7c12f8ddc733af630632d',
    'aliyun/UploadByURLComplete/fail': '4a0afc0c0abc302334b6430c01802ae188a5fc594d01f86dd535200688472af0',
    'aliyun/UploadByURLComplete/vary': '3df2bd309fa45e1e21f1d4d256cf4d7a027863f19087ed42fd150c9f02ac2242',
    'aliyun/UploadByURLComplete:Stream': '82fc4a0ce7dd5732748f52db5fc7ddc3584167af633bbde073574d316d7c4a05',
    'aliyun/UploadByURLComplete:Stream/extend': '89c0f39f19ec5690e086b0b0e018877739e45b9157dd63eec81eefd9705832cd',
    'aliyun/UploadByURLComplete:Stream/fail': '3822dc1d153e2909e0cda437427f41055b2a12d03238aed65afb389ba7c5a914',
    'aliyun/UploadByURLComplete:Stream/vary': 'da4e997f64e04f65d4bfe278e35c327ab4aed6c56e7a88e6000cfd6570b2c034',
    'aliyun/VideoAnalysisComplete': '85700aa696bf3b091484841dbacfa2301db225ef7226e6b5324518ec5928702c',
    'aliyun/VideoAnalysisComplete/extend': 'cc2f386c917812af61f71970d0d26deca2fc2d32bc50606c030b00c7f2937dae',
    'aliyun/VideoAnalysisComplete/fail': '39645c03ce4da6ed975aa0931c3b8c99c3f46f8f25b90737751ff3e961cedf70',
    'aliyun/VideoAnalysisComplete/vary': '46f7c41dc750c527fe117513916508532d22b9b4d389b00e108182b8cdcce5db',
    'aliyun/WorkflowTaskComplete': '0391f6ef405cf33a50697024f9bf8aca4524d5e0d3e0cb9441d9220d46a9952f',
    'aliyun/WorkflowTaskComplete/extend': '96945f556ad4f837b4fba01cbb8fcd32eadf5023e2b4f7b8a295600cf7e85bb6',
    'aliyun/WorkflowTaskComplete/fail': '8abb9441f34f0e6c1b067a4390d32d0354f1c67f683c30ee1572615b6ea7037a',
    'aliyun/WorkflowTaskComplete/vary': 'd85367a5a1b0a0e66e5f2f35eec4501405582813c51793986c8f03b744751af5',
    'scenario/ai-audit.yaml': 'aa8d8ea33b79e390713fdfa55c40ca02a16e4b1ca5689ae3742c2de620abcdb9',
    'scenario/delete-media.yaml': '39ffd6ce7281e16b62a5c7ef86338249b501aa5f95659d4f32acaec3d7b712ba',
    'scenario/fault-duplicates.yaml': '2c6b2ddab226f73d9ef835b599e2fce4e9826ebc0e987a996c29f38d7b472636',
    'scenario/fault-flaky-receiver.yaml': '3a874139e2b61f72e20fe3ff0c1fadbb0b405925e4aa0b210fa8bb1de5e65a7b',
    'scenario/fault-lost-callbacks.yaml': 'b5a47b3246d3df2edc8bf59c33e8473d7c2c1a1dba17ef656b544ca29f983a6d',
    'scenario/fault-reorder.yaml': '04eec2e9b1ab2edf91e0a14448566c43b067e552566069b10440017db2161a13',
    'scenario/image-and-attached-media.yaml': 'a134b2b9f187973674e4ff25bcc29a2165073f543cbeea7f3cf8fb686a8d1dd8',
    'scenario/live-record.yaml': '094d53fc501b0456367cdde92928ec101408e86e38d6d3e3768266f273827833',
    'scenario/load-10k.yaml': '0de431621b8ea90540c0cbcbe6772b4f3c9cc88e169dbdc95abe4686cddff3bc',
    'scenario/production-shapes.yaml': 'c7ec94b591a48f3b1205af1525d8d9e6425471ef282b1a7c3a02bc3ddba6ad5d',
    'scenario/quickstart.yaml': '33fd02ab99845e94da22187a9809c552ede4ae481aef02f8c40c431cfe10ffb7',
    'scenario/tencent-upload-and-process.yaml': 'ff294d5dce69d667623488ced4577c345f1efae6cd6a8863231b3b6c12b6f725',
    'scenario/transcode-partial-failure.yaml': 'ff5ae99377816841fa7778fc38f14c3b4b7f869f7fb80363d88bf29aec9fdf10',
    'scenario/upload-failure.yaml': '59c6410755d0b7360e3cebd6dba8ce4167899dde618dd8d500f84dc312dd882c',
    'scenario/url-upload.yaml': '5f5aa2b847f2806921584ce525301bbc2d334e54909e04bf65f21fe4ae8ba89a',
    'tencent/ClipComplete': '5cfac8c943af7fcd1fda24c839bca89870f52a3f63bf185eef32e3b872e09b26',
    'tencent/ClipComplete/fail': '32deb79b4a99a0050e5e8820d6074929d04be776ccb187d82f9d68234e337ad5',
    'tencent/ComplexAdaptiveDynamicStreamingComplete': '9f12f6639a1ce28b5c834d38ab178fb9db46cf2ca277eaa8c3625ed40dd6313c',
    'tencent/ComplexAdaptiveDynamicStreamingComplete/fail': 'c8c817a5d518990d162d8bd92b51b9bb8a616e5322285ae1db358415717d54cb',
    'tencent/ComposeMediaComplete': 'eb8f2b05722a10ae12e677e9e3218f1fe6b53855b0ec69c4606db22a195d7708',
    'tencent/ComposeMediaComplete/fail': '8bb5a9708d2cfb68dffa4eccfe047ec2aee0d28a2549447ba7247df4fcd92d73',
    'tencent/ConcatComplete': 'edd926980b853464faef24ac9b20fe90b061d464b9da07fd4afb4576c8adb50a',
    'tencent/ConcatComplete/fail': 'd61d6371c1a8242d04f5904eaa266fbc921707f238861e0aeb56bbfa206a80fb',
    'tencent/CreateImageSpriteComplete': '9820a16da065d0197ea0567713e8bafd836e08d312a6659d7b84ceb79ca88ca9',
    'tencent/CreateImageSpriteComplete/fail': 'b5a0d42ae936f11a77459e13d38c811499352e99d2af8f209cfad39890fb4bf5',
    'tencent/CreateSnapshotByTimeOffsetComplete': '85ebc285f518824c4444ed566eea998ed6ccc455dced356c5c3e784be5720efd',
    'tencent/CreateSnapshotByTimeOffsetComplete/fail': 'c8e3e5d4d2a7500042dcb05fb1e9cee7a4c69492f8face2f53bbac1855f049b4',
    'tencent/DescribeFileAttributesComplete': 'ad23aa0962561090e17c15537d2e80b3c14659c9059e22616b84f402baffa992',
    'tencent/DescribeFileAttributesComplete/fail': 'd4dd41e56de218ed44d07e014dbb0dd580852c24cbcf9eb37147144a7c77d062',
    'tencent/EditMediaComplete': 'e396555ae335e411aea44a0539b3994cb2cfd640c3c973d23bfa4c446dc1eb31',
    'tencent/EditMediaComplete/fail': 'da05a3d2ffe1bf0b1308de05e21a885de3bcd628187f669423cef628a8960dd0',
    'tencent/ExtractCopyRightWatermarkComplete': '2269f6599920eeb2b7733f21a302b01be2726a401acbd31980ddb860914cdc8d',
    'tencent/ExtractCopyRightWatermarkComplete/fail': '2f3bd6238f5911c6a409150d83b30ebb1a16273baf3492dd2fa2301ce71e7331',
    'tencent/ExtractTraceWatermarkComplete': 'fa6291d1aa959e2c3e0bfacb8b95dc1411986d436edef47edfb79afae3429a87',
    'tencent/ExtractTraceWatermarkComplete/fail': '4f89377f4f484553be679a5f67f035e4df5fecacd046ece0c0053019e3849185',
    'tencent/FileDeleted': '02a6e4e12bbd324256535df259822d6cdeff98f49ad0b7b44419f8fd91a13932',
    'tencent/FileDeleted/fail': '421bcf4249b218d2870aed06c90c5d54565a2707156d6e4a04a711bb01162bd2',
    'tencent/NewFileUpload': '1658a2140e183e96edbb218a5dc4603f6c4b6c0d663a9715fa0b8ed9a13484c4',
    'tencent/NewFileUpload/fail': '36ebf6d61a092592f6bcdc69eb04059b886d29da161138034b296644a6c48a10',
    'tencent/PersistenceComplete': '4a1bbdd68bd0e7aaa59f123fb37c566f4768d88cc5d3efc3b64e50f17f14c365',
    'tencent/PersistenceComplete/fail': '4a8e6b7b8926326ab5a00cd7c725ea5616bd65a9e2f5283bac98b5c5defa06a4',
    'tencent/ProcedureStateChanged': 'dd8916d5871420997917262bfd7f5f0aa723440f2b17dd2762fe72023724dca1',
    'tencent/ProcedureStateChanged/fail': '57dc9f7450db1d4bf385b307265af64a00765aa6f5a4bf3de547c029b24b1734',
    'tencent/ProcessMediaByMPSComplete': '902d40c476c181bfc8307d8eb7dcbd28a8ae66b3697b046cbffcb0fe66068372',
    'tencent/ProcessMediaByMPSComplete/fail': '343f2214126ce2afea4252bc54b8a22f5d604eb87217214ad948dce83d1c8425',
    'tencent/PullComplete': '3b209d5da42448005e149f01f55c8e6724bf70d9249608cf46604e84a5deb91f',
    'tencent/PullComplete/fail': 'b5fd924ca872f1ccab4c72140f21a6d3b0cd56047a420951922e8eb0a187a0be',
    'tencent/QualityEnhanceComplete': 'b43180b00e2bd4fc096372d5efad2ea563447ee36fa1a07ce0ae27ef7fbf852c',
    'tencent/QualityEnhanceComplete/fail': '710ddd3179f85c906946e2d14ee01a4fbcf6d564d1d80dc2495bf87bc02c2c8f',
    'tencent/QualityInspectComplete': 'e518f94b89c3819353ef4fc3b26383a6e79b7953853f897053ce6a3a53fdc896',
    'tencent/QualityInspectComplete/fail': 'c68869ec26037e8e8c45c1d724790553abe5c017af30878e9aea3d7ff67a4ad8',
    'tencent/RemoveWatermark': 'e2752bdd34ee7f6b55a2c0bef63d2c428113db295f61dea55fe6aed379c85ee6',
    'tencent/RemoveWatermark/fail': 'ee4fe33b9d3b944804220969642c96f0822abf452a7f6588a5f0d63295f59fb0',
    'tencent/RestoreMediaComplete': 'e818cd67611059b793c1f1803aaf24d213e7302a3cea7cdebcce2d258cab4cb4',
    'tencent/RestoreMediaComplete/fail': '7d634f044f5706b2b3e2961e35838c3a551317b95fe1b4eae930a29ebc4cc5d1',
    'tencent/ReviewAudioVideoComplete': 'ee6ba6ffb3e8b837a8c67be536002249cd452f605eb50c090e24983653ebc9ca',
    'tencent/ReviewAudioVideoComplete/fail': 'e0a80b3cef4dfeb8aaed0d7fffeebdd9a0e2a455917aee6f18557dd488f9ffd2',
    'tencent/SplitMediaComplete': '270c0ae998ef0b524fd44419f49ec1ab85407a3917939e50650f6740c687301a',
    'tencent/SplitMediaComplete/fail': 'b62bf85ffd8b0ebd98a3befcf12ed768fba1ca8fbe35fe194a092467ef2e1624',
    'tencent/TranscodeComplete': 'c4acde3d70628a60f8792980413fbac9a57621fa241be283c4759b44447d5455',
    'tencent/TranscodeComplete/fail': 'e3ae6311bfc1e331808b83589152710873056f047a6bf114d0469b5fdd182ada',
    'tencent/WechatMiniProgramPublishComplete': '0904ac8d90ad7b8741a407678c814a717f2e0c9ea06afc95b7fb0e57f5e0cb0e',
    'tencent/WechatMiniProgramPublishComplete/fail': 'a2ad1ca0bcf8bcac120201041424ce9306866cae17f573316034bfd28d0160b3',
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bodies_are_byte_identical_to_the_recorded_ones(name):
    assert name in EXPECTED, f"no recorded digest for {name}: run tests/test_generation_stable.py as a script"
    assert CASES[name]() == EXPECTED[name]


def test_every_recorded_case_still_exists():
    assert sorted(EXPECTED) == sorted(CASES)


def test_faker_is_seeded_only_for_bodies_that_use_it():
    from faker import Faker

    from emulator.providers.aliyun.factory import EventFactory

    seeds: list[int] = []

    class Spy(Faker):
        def seed_instance(self, seed=None):
            seeds.append(seed)
            return super().seed_instance(seed)

    factory = EventFactory(seed=1, start_time=START, faker=Spy())
    factory.build("StreamTranscodeComplete", 0)
    factory.build("FileUploadComplete", 1)
    assert seeds == []
    factory.build("UploadByURLComplete", 2)   # SourceURL: faker's domain_name and slug
    assert len(seeds) == 1


if __name__ == "__main__":
    for name in sorted(CASES):
        sys.stdout.write(f"    {name!r}: {CASES[name]()!r},\n")
