//! The one log setup of both entry points (`shouwang` and the Lambda function): `RUST_LOG` (or
//! the entry point's default) chooses what is logged, and a fixed cap keeps the libraries that
//! see requests and responses at `info` or quieter, whatever `RUST_LOG` says.
//!
//! The cap is there because those libraries print whole bodies below `info`, and the bodies are
//! children's records: the engine logs every DynamoDB request and response body at `trace`
//! (`dynoxide::server`), the SDK logs the request it transmits, the response it read and the
//! parsed output at `trace` (`aws_smithy_runtime::client::orchestrator`; `LOG_SENSITIVE_BODIES`
//! only widens that), the signer logs the request it signs (`aws_sigv4`), the Lambda runtime logs
//! the raw API Gateway event, body included (`lambda_runtime::layers::api_response`), and axum
//! logs why it refused a body, which can quote a value (`axum::rejection`). The portal's own code
//! logs no personal data at any level (file names, counts, ids and error kinds only).
//!
//! The cap is a second filter both must pass (not a directive appended to `RUST_LOG`, which a
//! more specific `RUST_LOG` directive such as `dynoxide::server=trace` would outrank).
//! `tests/integration/logs.rs` runs the scenario at `RUST_LOG=trace` and finds no child's name,
//! ID number or phone number in the output; `docs/logging.md` explains.

use tracing::Subscriber;
use tracing_subscriber::filter::{EnvFilter, FilterExt as _, LevelFilter, Targets};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::Layer;

/// What `shouwang` logs without `RUST_LOG`: warnings and errors, and the daily backup's line.
pub const LOCAL_DEFAULT: &str = "warn,api::backup=info,dynoxide=error";
/// What the Lambda function logs without `RUST_LOG`.
pub const LAMBDA_DEFAULT: &str = "info";

/// The targets (and every target under them: `hyper` covers `hyper_util`) held at [`CAP`].
pub const CAPPED_TARGETS: &[&str] = &[
    // The embedded engine: request and response bodies at trace.
    "dynoxide",
    // The DynamoDB SDK and its runtime (every aws_smithy_* crate): requests, responses and
    // parsed outputs at trace; the signer prints the request it signs.
    "aws_smithy",
    "aws_sdk_dynamodb",
    "aws_sigv4",
    "aws_runtime",
    "aws_config",
    // HTTP below the SDK and the servers.
    "hyper",
    "h2",
    "tower_http",
    // The Lambda runtime: the raw event, body included, at trace.
    "lambda_runtime",
    "lambda_http",
    // axum's note on a refused body can quote the value it could not read.
    "axum::rejection",
];

/// The most any capped target may log.
pub const CAP: LevelFilter = LevelFilter::INFO;

/// Where the lines go and how they look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// A terminal or a service's journal: times and colours (colours off with `NO_COLOR`).
    Terminal,
    /// CloudWatch: it adds the time itself, and colour codes would only clutter it.
    Lambda,
}

/// The cap as a filter: everything, except the capped targets above [`CAP`].
pub fn cap() -> Targets {
    Targets::new()
        .with_default(LevelFilter::TRACE)
        .with_targets(CAPPED_TARGETS.iter().map(|target| (*target, CAP)))
}

/// The filter `RUST_LOG` asks for (`rust_log`), or `default` when it is unset, empty or not
/// understood (that last is said once on standard error).
pub fn directives(rust_log: Option<&str>, default: &str) -> EnvFilter {
    match rust_log.map(str::trim).filter(|value| !value.is_empty()) {
        None => EnvFilter::new(default),
        Some(value) => EnvFilter::try_new(value).unwrap_or_else(|error| {
            eprintln!("RUST_LOG is not understood ({error}); logging as `{default}`");
            EnvFilter::new(default)
        }),
    }
}

/// The formatting layer with `filter` and the cap, writing to `writer`. [`init`] uses it with
/// standard output; tests use it with a buffer.
pub fn layer<S, W>(filter: EnvFilter, writer: W, output: Output) -> Box<dyn Layer<S> + Send + Sync>
where
    S: Subscriber + for<'span> LookupSpan<'span>,
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    let filter = filter.and(cap());
    let format = tracing_subscriber::fmt::layer().with_writer(writer);
    match output {
        Output::Terminal => format.with_filter(filter).boxed(),
        Output::Lambda => format
            .with_ansi(false)
            .without_time()
            .with_filter(filter)
            .boxed(),
    }
}

/// Installs the process's logging: `RUST_LOG` or `default`, capped, to standard output (and the
/// `log` crate's records through the same filter). Call once, first thing in `main`.
pub fn init(default: &str, output: Output) {
    let rust_log = std::env::var("RUST_LOG").ok();
    let filter = directives(rust_log.as_deref(), default);
    // Fails only when something installed a subscriber already; that one stays.
    let _ = tracing_subscriber::registry()
        .with(layer(filter, std::io::stdout, output))
        .try_init();
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// What `emit` logs through the production layer with `RUST_LOG=rust_log`.
    fn logged(rust_log: &str, emit: impl FnOnce()) -> String {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::registry().with(layer(
            directives(Some(rust_log), LOCAL_DEFAULT),
            move || writer.clone(),
            Output::Lambda,
        ));
        tracing::subscriber::with_default(subscriber, emit);
        let bytes = buffer.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    const NAME: &str = "司马晓岚";

    /// The libraries' own log lines that carry bodies, as they write them (targets and levels
    /// from their sources), with a fictional name in the body.
    fn emit_the_libraries_bodies() {
        let body = format!("{{\"Item\":{{\"name\":{{\"S\":\"{NAME}\"}}}}}}");
        tracing::trace!(target: "dynoxide::server", operation = "PutItem", body = %body, "request body");
        tracing::trace!(target: "dynoxide::server", operation = "GetItem", body = %body, "response body");
        tracing::trace!(target: "aws_smithy_runtime::client::orchestrator", request = ?body, "transmitting request");
        tracing::trace!(target: "aws_smithy_runtime::client::orchestrator::http", response = ?body, "read HTTP response body");
        tracing::trace!(target: "aws_sigv4::http_request::sign", request = ?body, "signing request");
        tracing::trace!(target: "lambda_runtime::layers::api_response", body = %body, "raw JSON event received from Lambda");
        tracing::trace!(target: "axum::rejection", body_text = %body, "rejecting request");
        tracing::debug!(target: "hyper_util::client::legacy::client", "{body}");
        tracing::trace!(target: "h2::codec::framed_write", "{body}");
        tracing::debug!(target: "tower_http::trace::on_request", "{body}");
    }

    #[test]
    fn no_rust_log_lets_the_libraries_bodies_through_but_their_warnings_pass() {
        for rust_log in [
            "trace",
            "trace,dynoxide::server=trace,aws_smithy_runtime::client::orchestrator=trace,\
             aws_sigv4=trace,lambda_runtime=trace,axum::rejection=trace,hyper=trace",
        ] {
            let text = logged(rust_log, || {
                emit_the_libraries_bodies();
                tracing::trace!(target: "api::local", "the portal's own trace line");
                tracing::warn!(target: "dynoxide::server", operation = "PutItem", status = "400", "error response");
            });
            assert!(!text.contains(NAME), "RUST_LOG={rust_log}:\n{text}");
            assert!(
                text.contains("the portal's own trace line"),
                "RUST_LOG={rust_log} is in force:\n{text}"
            );
            assert!(
                text.contains("error response"),
                "the engine's warnings still pass:\n{text}"
            );
        }
    }

    #[test]
    fn without_the_cap_those_lines_would_carry_the_name() {
        // The control: the same lines through RUST_LOG=trace alone do print the name, so the
        // test above would see a leak.
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::registry().with(
            tracing_subscriber::fmt::layer()
                .with_writer(move || writer.clone())
                .with_filter(directives(Some("trace"), LOCAL_DEFAULT)),
        );
        tracing::subscriber::with_default(subscriber, emit_the_libraries_bodies);
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        assert!(text.matches(NAME).count() >= 10, "{text}");
    }

    #[test]
    fn an_unset_or_unreadable_rust_log_gives_the_default() {
        for rust_log in [None, Some(""), Some("  "), Some("api=loudly")] {
            let text = logged_with(rust_log, || {
                tracing::info!(target: "api::backup", "backup made");
                tracing::info!(target: "api::local", "not at the default level");
            });
            assert!(text.contains("backup made"), "{text}");
            assert!(!text.contains("not at the default level"), "{text}");
        }
    }

    fn logged_with(rust_log: Option<&str>, emit: impl FnOnce()) -> String {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::registry().with(layer(
            directives(rust_log, LOCAL_DEFAULT),
            move || writer.clone(),
            Output::Terminal,
        ));
        tracing::subscriber::with_default(subscriber, emit);
        let bytes = buffer.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }
}
