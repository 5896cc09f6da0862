//! The `board` module, the simulator's native module and the complete
//! example of `docs/PORTING.md` (which shows this file from its first
//! `use` to the end; a test, `tests/natmod.rs`, keeps the two the same):
//! `read_sensor(reg)` reads a register of a simulated sensor, `led(on)`
//! drives the simulated LED (pin 0 of the GPIO block, [`crate::gpio`]) and
//! `led()` reads it back.

use crate::platform::PosixPlatform;
use p14p_device::platform::{Arg, Gpio, NativeError, NativeModules, PinMode, Ret};
use p14p_protocol::msg::{NativeFunction, NativeModule};
use p14p_protocol::seq::Seq;

/// The sensor's registers: `WHO_AM_I` (its id), then the temperature in
/// hundredths of a degree and the relative humidity in hundredths of a
/// percent, as a real one would hold its last measurement.
const SENSOR: [i32; 3] = [0x5A, 2150, 4200];

/// The declaration: the module's name and each function's name and
/// argument types (`i` int, `b` bool; after `|`, optional). The manifest
/// sends it to the host, whose compiler checks calls against it.
static BOARD: &[NativeModule<'static>] = &[NativeModule {
    name: "board",
    functions: Seq::Slice(&[
        NativeFunction::typed("read_sensor", "i"),
        NativeFunction::typed("led", "|b"),
    ]),
}];

impl NativeModules for PosixPlatform {
    fn native_modules(&self) -> &'static [NativeModule<'static>] {
        BOARD
    }

    // The VM has checked the count and the types: `args` matches the
    // declaration. Module 0 is `board`, the only one.
    fn call(
        &mut self,
        _module: usize,
        function: usize,
        args: &[Arg<'_>],
    ) -> Result<Ret<'_>, NativeError> {
        match (function, args) {
            // read_sensor(reg)
            (0, &[Arg::Int(reg)]) => match usize::try_from(reg).ok().and_then(|r| SENSOR.get(r)) {
                Some(&value) => Ok(Ret::Int(value)),
                None => Err(NativeError::Value("no such sensor register")),
            },
            // led(on): pin 0 an output at that level
            (1, &[Arg::Bool(on)]) => {
                self.pin_write(0, on);
                self.pin_configure(0, Some(PinMode::Out), None);
                Ok(Ret::None)
            }
            // led(): the level it drives
            (1, &[]) => Ok(Ret::Bool(self.pin_read(0) == Some(true))),
            _ => Err(NativeError::Value("bad call")),
        }
    }
}
