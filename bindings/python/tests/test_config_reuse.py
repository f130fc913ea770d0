"""An SSLContext builds its ferrotls configuration once per settings state, not per wrap_socket
or wrap_bio (issue 16), and a setting changed after the first connection takes effect on the
next one."""
from __future__ import annotations

import ssl

import ferrotls
from ferrotls import config as fconfig
from conftest import fx


def _handshake(server_ctx, client_ctx):
    c_in, c_out, s_in, s_out = (ssl.MemoryBIO() for _ in range(4))
    client = client_ctx.wrap_bio(c_in, c_out, server_hostname="localhost")
    server = server_ctx.wrap_bio(s_in, s_out, server_side=True)
    for _ in range(10):
        done = 0
        for side in (client, server):
            try:
                side.do_handshake()
                done += 1
            except ssl.SSLWantReadError:
                pass
        s_in.write(c_out.read())
        c_in.write(s_out.read())
        if done == 2:
            return client
    raise AssertionError("handshake did not finish")


def test_one_configuration_per_context_state(monkeypatch):
    built = {"client": 0, "server": 0}
    for side, cls in (("client", fconfig.ClientConfigBuilder), ("server", fconfig.ServerConfigBuilder)):
        original = cls.build

        def counting(self, _original=original, _side=side):
            built[_side] += 1
            return _original(self)

        monkeypatch.setattr(cls, "build", counting)
    sctx = ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_SERVER)
    sctx.load_cert_chain(fx("server-chain.pem"), fx("server.key"))
    cctx = ferrotls.create_default_context(cafile=fx("ca.pem"))
    cctx.load_verify_locations(fx("ecdsa-p256-ca.pem"))
    cctx.maximum_version = ferrotls.TLSVersion.TLSv1_2
    cctx.set_ciphers("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256")
    sctx.set_ciphers("ECDHE-RSA-AES128-GCM-SHA256")

    for _ in range(3):
        assert _handshake(sctx, cctx).cipher()[0] == "ECDHE-RSA-AES128-GCM-SHA256"
    assert built == {"client": 1, "server": 1}

    # A changed cipher list: the next connection uses it.
    sctx.set_ciphers("ECDHE-RSA-AES256-GCM-SHA384")
    assert _handshake(sctx, cctx).cipher()[0] == "ECDHE-RSA-AES256-GCM-SHA384"
    assert _handshake(sctx, cctx).cipher()[0] == "ECDHE-RSA-AES256-GCM-SHA384"
    assert built == {"client": 1, "server": 2}

    # A changed certificate: the next connection is served the new one.
    sctx.load_cert_chain(fx("ecdsa-p256-leaf.pem"), fx("ecdsa-p256-leaf.key"))
    sctx.set_ciphers("ECDHE-ECDSA-AES128-GCM-SHA256")
    client = _handshake(sctx, cctx)
    assert client.cipher()[0] == "ECDHE-ECDSA-AES128-GCM-SHA256"
    assert dict(x[0] for x in client.getpeercert()["issuer"])["commonName"] == "ferrotls ECDSA P-256 CA"
    assert built["client"] == 1
