//! `p14p-uf2 FIRMWARE.bin OUT.uf2 [BASE]`: the UF2 file that puts a flat
//! binary (`arm-none-eabi-objcopy -O binary` of the ELF) at BASE (default
//! 0x10000000, the RP2040's flash), for the RPI-RP2 drive.

use p14p_pico_hosttest::uf2;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(bin), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: p14p-uf2 FIRMWARE.bin OUT.uf2 [BASE]");
        return ExitCode::from(2);
    };
    let base = match args.get(2) {
        None => 0x1000_0000,
        Some(s) => match u32::from_str_radix(s.trim_start_matches("0x"), 16) {
            Ok(b) => b,
            Err(_) => {
                eprintln!("p14p-uf2: BASE {s:?} is not a hex address");
                return ExitCode::from(2);
            }
        },
    };
    let image = match std::fs::read(bin) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("p14p-uf2: {bin}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let blocks = uf2::from_image(&image, base);
    if let Err(e) = std::fs::write(out, &blocks) {
        eprintln!("p14p-uf2: {out}: {e}");
        return ExitCode::FAILURE;
    }
    println!(
        "{out}: {} blocks, {} bytes of flash at {base:#010x}",
        blocks.len() / uf2::BLOCK,
        image.len()
    );
    ExitCode::SUCCESS
}
