//! `p14p bench push`: how fast `p14p push` fills the store over a serial
//! line.
//!
//! A `p14p-device --pty --baud B --store TMP` is started on a fresh flash
//! file; its link delivers and sends bytes no faster than a UART at `B`
//! baud, 8N1 (10 bit times a byte), so the pty behaves like the wire. A
//! generated data file is pushed with the session's windowed
//! `StoreChunk`s, read back from the listing (size and CRC) and the
//! throughput printed beside the wire's `B / 10` bytes a second. KB here
//! is 1000 bytes.

use super::{device_binary, spawn_pty_device_with};
use crate::cli::Failure;
use crate::session::store::content_crc;
use crate::session::Session;
use crate::transport::{OpenOptions, Port};
use p14p_protocol::msg::FileKind;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `p14p bench push` (the line rate is the global `--baud`).
#[derive(Debug, clap::Args)]
pub struct PushArgs {
    /// Bytes to push.
    #[arg(long, default_value_t = 64 * 1024)]
    pub size: usize,
}

/// The throughput figures of one push.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throughput {
    /// Bytes pushed.
    pub bytes: usize,
    /// Seconds from `StoreBegin` to the commit's acknowledgement.
    pub seconds: f64,
    /// The line rate in baud (8N1).
    pub baud: u32,
}

impl Throughput {
    /// Payload bytes a second.
    pub fn bytes_per_second(&self) -> f64 {
        self.bytes as f64 / self.seconds.max(1e-9)
    }

    /// The wire's rate in bytes a second: 10 bit times a byte.
    pub fn wire_rate(&self) -> f64 {
        f64::from(self.baud) / 10.0
    }

    /// Payload rate as a percentage of the wire rate.
    pub fn percent_of_wire(&self) -> f64 {
        100.0 * self.bytes_per_second() / self.wire_rate()
    }
}

impl std::fmt::Display for Throughput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "push {} bytes in {:.3} s: {:.2} KB/s, {:.1}% of the wire ({} baud 8N1 = {:.0} B/s)",
            self.bytes,
            self.seconds,
            self.bytes_per_second() / 1000.0,
            self.percent_of_wire(),
            self.baud,
            self.wire_rate()
        )
    }
}

/// Bytes that look like a data file and do not repeat in any short period.
pub fn payload(size: usize) -> Vec<u8> {
    let mut x = 0x2545_F491_u32;
    (0..size)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

/// `p14p bench push`.
pub async fn main(args: &PushArgs, open: &OpenOptions) -> Result<ExitCode, Failure> {
    let dir = std::env::temp_dir().join(format!("p14p-bench-push-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = dir.join("flash.bin");
    let _ = std::fs::remove_file(&store);
    let result = run(args, open, &store).await;
    let _ = std::fs::remove_dir_all(&dir);
    let t = result?;
    println!("{t}");
    Ok(ExitCode::SUCCESS)
}

async fn run(
    args: &PushArgs,
    open: &OpenOptions,
    store: &std::path::Path,
) -> Result<Throughput, Failure> {
    let device_args = [
        "--store".into(),
        store.as_os_str().to_owned(),
        "--baud".into(),
        open.baud.to_string().into(),
    ];
    let dev = spawn_pty_device_with(&device_binary()?, &device_args)?;
    let session = Session::open(&Port::Serial(dev.path.clone()), open).await?;
    let data = payload(args.size);
    let start = Instant::now();
    session
        .store_put("bench.bin", FileKind::Data, &data, |_| {})
        .await?;
    let seconds = start.elapsed().as_secs_f64();
    let listed = session.store_list().await?;
    let stored = listed.iter().find(|f| f.name == "bench.bin");
    if !stored.is_some_and(|f| f.size as usize == data.len() && f.crc == content_crc(&data)) {
        return Err("the pushed file is not in the store as sent".into());
    }
    Ok(Throughput {
        bytes: data.len(),
        seconds,
        baud: open.baud,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_relative_to_ten_bit_times_a_byte() {
        let t = Throughput {
            bytes: 11_520,
            seconds: 2.0,
            baud: 115_200,
        };
        assert_eq!(t.wire_rate(), 11_520.0);
        assert_eq!(t.bytes_per_second(), 5_760.0);
        assert_eq!(t.percent_of_wire(), 50.0);
        let line = t.to_string();
        assert!(
            line.contains("5.76 KB/s") && line.contains("50.0%"),
            "{line}"
        );
    }

    #[test]
    fn the_payload_has_the_asked_size_and_varies() {
        let p = payload(4096);
        assert_eq!(p.len(), 4096);
        let distinct = p.iter().collect::<std::collections::HashSet<_>>().len();
        assert!(distinct > 200);
    }
}
