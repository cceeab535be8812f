//! Serves the [`super::emulator`] over HTTP/1.1, or HTTPS with a
//! certificate authority generated at start, on a loopback address only.
//!
//! Built on hyper, tokio and rustls, the stack the API client already
//! uses, so the emulator adds no second TLS implementation.

use super::emulator::{Emulator, EmulatorConfig, Request};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;

/// The largest request body the emulator reads (2 MiB: a research upload
/// at its cap, base64 or JSON-escaped, fits).
pub const MAX_REQUEST_BYTES: usize = 2 << 20;

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The address to listen on; must be loopback (port 0 picks a free port).
    pub listen: SocketAddr,
    /// Serve HTTPS with a generated certificate.
    pub tls: bool,
    /// Where to write the generated CA certificate (PEM) for clients to trust.
    pub cert_out: Option<PathBuf>,
    /// Stop by itself after this long (none: run until killed).
    pub max_lifetime: Option<Duration>,
    /// The emulator's settings.
    pub emulator: EmulatorConfig,
}

/// A CA certificate (PEM) and a server configuration whose certificate,
/// for `localhost`, `127.0.0.1` and `::1`, that CA signed.
pub fn generate_tls() -> Result<(String, rustls::ServerConfig), String> {
    use rcgen::{
        BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose,
        IsCa, Issuer, KeyPair, KeyUsagePurpose,
    };
    let err = |e: rcgen::Error| e.to_string();
    let ca_key = KeyPair::generate().map_err(err)?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "WebTotem API emulator test CA");
    ca.distinguished_name = dn;
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca.self_signed(&ca_key).map_err(err)?;
    let issuer = Issuer::new(ca, ca_key);

    let leaf_key = KeyPair::generate().map_err(err)?;
    let mut leaf = CertificateParams::new(vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ])
    .map_err(err)?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "localhost");
    leaf.distinguished_name = dn;
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).map_err(err)?;

    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![leaf_cert.der().clone(), ca_cert.der().clone()], key)
        .map_err(|e| e.to_string())?;
    Ok((ca_cert.pem(), config))
}

async fn respond(
    emu: Arc<Emulator>,
    req: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, hyper::Error> {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let authorization = header("authorization");
    let fault = header("x-emulator-fault");
    let body = match Limited::new(req.into_body(), MAX_REQUEST_BYTES)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return Ok(hyper::Response::builder()
                .status(413)
                .body(Full::new(Bytes::from_static(b"request too large")))
                .expect("a valid response"));
        }
    };
    let out = emu.handle(&Request {
        method: &method,
        path: &path,
        authorization: authorization.as_deref(),
        fault: fault.as_deref(),
        body: &body,
    });
    if !out.delay.is_zero() {
        tokio::time::sleep(out.delay).await;
    }
    Ok(hyper::Response::builder()
        .status(out.status)
        .header("content-type", out.content_type)
        .body(Full::new(Bytes::from(out.body)))
        .expect("a valid response"))
}

/// Runs the emulator until killed (or `max_lifetime`); calls `ready` with
/// the base URL (`http(s)://127.0.0.1:PORT`) once it accepts connections.
pub fn serve(opts: ServeOptions, ready: impl FnOnce(&str)) -> io::Result<()> {
    if !opts.listen.ip().is_loopback() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the emulator listens on loopback addresses only (127.0.0.0/8, ::1)",
        ));
    }
    let tls = if opts.tls {
        let (ca_pem, config) = generate_tls()
            .map_err(|e| io::Error::other(format!("generating the certificate: {e}")))?;
        if let Some(path) = &opts.cert_out {
            std::fs::write(path, ca_pem)?;
        }
        Some(TlsAcceptor::from(Arc::new(config)))
    } else {
        None
    };
    let emu = Arc::new(Emulator::new(opts.emulator.clone()));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.listen).await?;
        let addr = listener.local_addr()?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        ready(&format!("{scheme}://{addr}"));
        let deadline = opts.max_lifetime.map(|d| tokio::time::Instant::now() + d);
        loop {
            let accepted = match deadline {
                Some(d) => match tokio::time::timeout_at(d, listener.accept()).await {
                    Ok(r) => r,
                    Err(_) => return Ok(()),
                },
                None => listener.accept().await,
            };
            let Ok((stream, _)) = accepted else { continue };
            let _ = stream.set_nodelay(true);
            let emu = emu.clone();
            let tls = tls.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| respond(emu.clone(), req));
                match tls {
                    Some(acceptor) => {
                        if let Ok(Ok(stream)) =
                            tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream))
                                .await
                        {
                            let _ = http1::Builder::new()
                                .serve_connection(TokioIo::new(stream), service)
                                .await;
                        }
                    }
                    None => {
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    }
                }
            });
        }
    })
}
