//! The `random` module's generator, bit for bit equal to CPython 3.13: MT19937 with CPython's
//! seeding (`init_by_array` over the 32-bit words of `abs(n)`, SHA-512 "version 2" seeding for
//! str/bytes, hash seeding for floats) and the `Lib/random.py` algorithms built on it
//! (`_randbelow` via `getrandbits`, `randrange`, `randint`, `choice`, `shuffle`, `uniform`,
//! `sample`, `gauss`, `normalvariate`). It does not own Python objects: `choice`, `shuffle` and
//! `sample` work on indices or slices, and argument conversion (`__index__`, TypeErrors about
//! argument types) is the VM's job. `getstate`/`setstate` are not provided.

use crate::error::{ExcKind, PyError, PyResult};
use crate::int::Int;
use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::Signed;
use sha2::{Digest, Sha512};

const N: usize = 624;
const M: usize = 397;

/// A Mersenne Twister with CPython's `random.Random` behaviour.
#[derive(Clone)]
pub struct Random {
    mt: Box<[u32; N]>,
    index: usize,
    gauss_next: Option<f64>,
}

impl std::fmt::Debug for Random {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Random")
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl Random {
    /// A generator seeded like `random.Random(n)` for an int seed.
    #[must_use]
    pub fn from_int(n: &BigInt) -> Self {
        let mut r = Self {
            mt: Box::new([0; N]),
            index: N + 1,
            gauss_next: None,
        };
        r.seed_int(n);
        r
    }

    /// `seed(n)` for an int: the key is `abs(n)` split into 32-bit words, least significant
    /// first.
    pub fn seed_int(&mut self, n: &BigInt) {
        let (_, mut key) = n.abs().to_u32_digits();
        if key.is_empty() {
            key.push(0);
        }
        self.init_by_array(&key);
        self.gauss_next = None;
    }

    /// `seed(s)` for str (pass `s.as_bytes()`, i.e. its UTF-8 encoding) or bytes: CPython's
    /// version-2 seeding, `int.from_bytes(a + sha512(a).digest(), 'big')`.
    pub fn seed_bytes(&mut self, a: &[u8]) {
        let mut all = a.to_vec();
        all.extend_from_slice(&Sha512::digest(a));
        let n = BigInt::from_bytes_be(Sign::Plus, &all);
        self.seed_int(&n);
    }

    /// `seed(x)` for other hashable seeds CPython accepts (float): the seed is `hash(x)`
    /// reinterpreted as an unsigned machine word.
    pub fn seed_hash(&mut self, h: i64) {
        self.seed_int(&BigInt::from(h as u64));
    }

    /// `seed()` / `seed(None)`: entropy from the OS (not reproducible, as in CPython).
    pub fn seed_entropy(&mut self) {
        let mut buf = [0u8; 32];
        let ok = std::fs::File::open("/dev/urandom")
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut buf))
            .is_ok();
        if !ok {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            buf[..16].copy_from_slice(&t.to_le_bytes());
        }
        self.seed_int(&BigInt::from_bytes_le(Sign::Plus, &buf));
    }

    fn init_genrand(&mut self, s: u32) {
        self.mt[0] = s;
        for i in 1..N {
            let prev = self.mt[i - 1];
            self.mt[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        self.index = N;
    }

    fn init_by_array(&mut self, key: &[u32]) {
        self.init_genrand(19_650_218);
        let mt = &mut self.mt;
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let prev = mt[i - 1];
            mt[i] = (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = mt[i - 1];
            mt[i] =
                (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000;
    }

    fn twist(&mut self) {
        const UPPER: u32 = 0x8000_0000;
        const LOWER: u32 = 0x7fff_ffff;
        const MATRIX_A: u32 = 0x9908_b0df;
        let mt = &mut self.mt;
        for k in 0..N {
            let y = (mt[k] & UPPER) | (mt[(k + 1) % N] & LOWER);
            let mag = if y & 1 == 1 { MATRIX_A } else { 0 };
            mt[k] = mt[(k + M) % N] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    /// One 32-bit output (`genrand_uint32`).
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `random()`: a 53-bit float in [0, 1).
    pub fn random(&mut self) -> f64 {
        let a = self.next_u32() >> 5;
        let b = self.next_u32() >> 6;
        (f64::from(a) * 67_108_864.0 + f64::from(b)) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `getrandbits(k)` for `k <= 64` without allocating.
    pub fn getrandbits_u64(&mut self, k: u32) -> u64 {
        match k {
            0 => 0,
            1..=32 => u64::from(self.next_u32() >> (32 - k)),
            _ => {
                let lo = u64::from(self.next_u32());
                let hi = u64::from(self.next_u32() >> (64 - k.min(64)));
                lo | (hi << 32)
            }
        }
    }

    /// `getrandbits(k)`. Error: `ValueError: number of bits must be non-negative`.
    pub fn getrandbits(&mut self, k: i64) -> PyResult<Int> {
        if k < 0 {
            return Err(PyError::value("number of bits must be non-negative"));
        }
        if k <= 63 {
            return Ok(Int::Small(self.getrandbits_u64(k as u32) as i64));
        }
        let mut words = Vec::with_capacity(((k - 1) / 32 + 1) as usize);
        let mut left = k;
        while left > 0 {
            let mut r = self.next_u32();
            if left < 32 {
                r >>= 32 - left;
            }
            words.push(r);
            left -= 32;
        }
        Ok(Int::from_big(BigInt::from_slice(Sign::Plus, &words)))
    }

    /// `_randbelow(n)` for `0 < n` fitting in u64 (what `choice`/`shuffle` need).
    pub fn randbelow_u64(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        let k = 64 - n.leading_zeros();
        loop {
            let r = self.getrandbits_u64(k);
            if r < n {
                return r;
            }
        }
    }

    /// `_randbelow(n)` for any positive int.
    pub fn randbelow(&mut self, n: &Int) -> Int {
        match n {
            Int::Small(v) if *v > 0 => Int::Small(self.randbelow_u64(*v as u64) as i64),
            _ => {
                let nb = n.to_big();
                let k = nb.bits() as i64;
                loop {
                    let r = self.getrandbits(k).map(|r| r.to_big()).unwrap_or_default();
                    if r < nb {
                        return Int::from_big(r);
                    }
                }
            }
        }
    }

    /// `randrange(start, stop=None, step=1)` on already-converted ints. `step` is `None`
    /// when not passed (CPython distinguishes an explicit step without stop).
    pub fn randrange(
        &mut self,
        start: &Int,
        stop: Option<&Int>,
        step: Option<&Int>,
    ) -> PyResult<Int> {
        let istart = start.to_big();
        let Some(stop) = stop else {
            if step.is_some() {
                return Err(PyError::type_error("Missing a non-None stop argument"));
            }
            if istart.is_positive() {
                return Ok(self.randbelow(start));
            }
            return Err(PyError::value("empty range for randrange()"));
        };
        let istop = stop.to_big();
        let width = &istop - &istart;
        let istep = step.map_or_else(|| BigInt::from(1), Int::to_big);
        if istep == BigInt::from(1) {
            if width.is_positive() {
                let r = self.randbelow(&Int::from_big(width)).to_big();
                return Ok(Int::from_big(istart + r));
            }
            return Err(PyError::value(format!(
                "empty range in randrange({istart}, {istop})"
            )));
        }
        let n = if istep.is_positive() {
            Integer::div_floor(&(&width + &istep - 1), &istep)
        } else if istep.is_negative() {
            Integer::div_floor(&(&width + &istep + 1), &istep)
        } else {
            return Err(PyError::value("zero step for randrange()"));
        };
        if !n.is_positive() {
            return Err(PyError::value(format!(
                "empty range in randrange({istart}, {istop}, {istep})"
            )));
        }
        let r = self.randbelow(&Int::from_big(n)).to_big();
        Ok(Int::from_big(istart + istep * r))
    }

    /// `randint(a, b)` = `randrange(a, b + 1)`.
    pub fn randint(&mut self, a: &Int, b: &Int) -> PyResult<Int> {
        let b1 = Int::from_big(b.to_big() + 1);
        self.randrange(a, Some(&b1), None)
    }

    /// The index `choice(seq)` picks for a sequence of length `len`.
    /// Error: `IndexError: Cannot choose from an empty sequence`.
    pub fn choice_index(&mut self, len: usize) -> PyResult<usize> {
        if len == 0 {
            return Err(PyError::new(
                ExcKind::IndexError,
                "Cannot choose from an empty sequence",
            ));
        }
        Ok(self.randbelow_u64(len as u64) as usize)
    }

    /// `shuffle(x)` in place, swapping exactly as `random.py` does.
    pub fn shuffle<T>(&mut self, x: &mut [T]) {
        for i in (1..x.len()).rev() {
            let j = self.randbelow_u64(i as u64 + 1) as usize;
            x.swap(i, j);
        }
    }

    /// `uniform(a, b)`.
    pub fn uniform(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.random()
    }

    /// The population indices `sample(population, k)` returns, in order, for a population of
    /// length `n`. Error: `ValueError: Sample larger than population or is negative`.
    pub fn sample_indices(&mut self, n: usize, k: i64) -> PyResult<Vec<usize>> {
        if k < 0 || k as u64 > n as u64 {
            return Err(PyError::value(
                "Sample larger than population or is negative",
            ));
        }
        let k = k as usize;
        let mut result = Vec::with_capacity(k);
        let mut setsize = 21usize;
        if k > 5 {
            let e = ((k * 3) as f64).ln() / 4f64.ln();
            setsize += 4usize.pow(e.ceil() as u32);
        }
        if n <= setsize {
            let mut pool: Vec<usize> = (0..n).collect();
            for i in 0..k {
                let j = self.randbelow_u64((n - i) as u64) as usize;
                result.push(pool[j]);
                pool[j] = pool[n - i - 1];
            }
        } else {
            let mut selected = std::collections::HashSet::with_capacity(k);
            for _ in 0..k {
                let mut j = self.randbelow_u64(n as u64) as usize;
                while selected.contains(&j) {
                    j = self.randbelow_u64(n as u64) as usize;
                }
                selected.insert(j);
                result.push(j);
            }
        }
        Ok(result)
    }

    /// `gauss(mu, sigma)` (keeps the second value of each pair, as CPython does).
    pub fn gauss(&mut self, mu: f64, sigma: f64) -> f64 {
        let z = match self.gauss_next.take() {
            Some(z) => z,
            None => {
                let x2pi = self.random() * std::f64::consts::TAU;
                let g2rad = (-2.0 * (1.0 - self.random()).ln()).sqrt();
                self.gauss_next = Some(x2pi.sin() * g2rad);
                x2pi.cos() * g2rad
            }
        };
        mu + z * sigma
    }

    /// `normalvariate(mu, sigma)` (Kinderman–Monahan, as `random.py`).
    pub fn normalvariate(&mut self, mu: f64, sigma: f64) -> f64 {
        let nv_magic = 4.0 * (-0.5f64).exp() / 2.0f64.sqrt();
        loop {
            let u1 = self.random();
            let u2 = 1.0 - self.random();
            let z = nv_magic * (u1 - 0.5) / u2;
            let zz = z * z / 4.0;
            if zz <= -u2.ln() {
                return mu + z * sigma;
            }
        }
    }
}
