use rand::distributions::{Alphanumeric, DistString};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A 256-bit random session token, hex-encoded.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A one-time invite code: 12 letters and digits, easy to read out over the phone.
pub fn new_invite_code() -> String {
    Alphanumeric.sample_string(
        &mut rand::rngs::OsRng,
        shared::validate::limits::INVITE_CODE_LEN,
    )
}

/// A random first-admin password.
pub fn new_password() -> String {
    Alphanumeric.sample_string(&mut rand::rngs::OsRng, 16)
}

/// Tokens and invite codes are stored only as this hash.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}
