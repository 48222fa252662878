from emulator.providers.aliyun import signing


def test_documented_vector():
    # HTTP callback authentication, documented example (key test123; the page's masked digest
    # is c72b60894140fa98920f1279219b****).
    sig = signing.signature("https://www.example.com/your/callback", 1519375990, "test123")
    assert sig == "c72b60894140fa98920f1279219b7ed4"
    assert sig.startswith("c72b60894140fa98920f1279219b")


def test_headers_and_check_round_trip():
    h = signing.auth_headers("http://127.0.0.1:9000/cb", 1700000000, "Key123abc")
    assert h["X-VOD-TIMESTAMP"] == "1700000000"
    assert len(h["X-VOD-SIGNATURE"]) == 32
    assert signing.check("http://127.0.0.1:9000/cb", h, "Key123abc") == "ok"
    assert signing.check("http://127.0.0.1:9000/cb", h, "wrong") == "mismatch"
    assert signing.check("http://127.0.0.1:9000/other", h, "Key123abc") == "mismatch"
    assert signing.check("http://127.0.0.1:9000/cb", {}, "Key123abc") == "missing"
    assert signing.check("http://127.0.0.1:9000/cb", h, "Key123abc", now=1700000000 + 301, max_age=300) == "stale"
