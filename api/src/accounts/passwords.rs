//! Argon2id password hashing, run off the async threads because it is deliberately slow.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use shared::validate::Password;

use crate::AppError;

pub async fn hash(password: &Password) -> Result<String, AppError> {
    let password = password.expose().to_string();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|error| AppError::Unexpected(anyhow::anyhow!("hashing failed: {error}")))
    })
    .await
    .map_err(|error| AppError::Unexpected(error.into()))?
}

pub async fn verify(password: &str, stored: &str) -> bool {
    let password = password.to_string();
    let stored = stored.to_string();
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A fixed hash of a random string, verified when the username does not exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2hvdXdhbmctZHVtbXk$Wc0cRZ0N8lJzq4r0m6bUpiw2rMHbk0yS7YWqlHnF0zI";

pub async fn verify_dummy(password: &str) {
    let _ = verify(password, DUMMY_HASH).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let password = Password::parse("p", "correct horse battery").unwrap();
        let stored = hash(&password).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &stored).await);
        assert!(!verify("wrong horse battery", &stored).await);
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
