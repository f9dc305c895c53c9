package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
)

// Sealer encrypts and authenticates small values (the login flow cookie, the ID token kept as
// logout hint) with AES-256-GCM under a key derived from a root key for one purpose.
type Sealer struct{ aead cipher.AEAD }

// NewSealer returns the sealer for the login flow cookie, keyed from the session key.
func NewSealer(root []byte) *Sealer { return NewSealerFor(root, PurposeFlowCookie) }

// NewSealerFor returns a sealer whose key is derived from root for purpose (see DeriveKey):
// a value sealed for one purpose does not open under another.
func NewSealerFor(root []byte, purpose string) *Sealer {
	block, err := aes.NewCipher(DeriveKey(root, purpose))
	if err != nil {
		panic(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return &Sealer{aead: aead}
}

// Seal encrypts v as JSON.
func (s *Sealer) Seal(v any) (string, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return s.SealBytes(plain)
}

// SealBytes encrypts plain as it is (for a caller that compresses first).
func (s *Sealer) SealBytes(plain []byte) (string, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, nil)), nil
}

// Open decrypts a value sealed by Seal into v; a tampered value is an error.
func (s *Sealer) Open(sealed string, v any) error {
	plain, err := s.OpenBytes(sealed)
	if err != nil {
		return err
	}
	return json.Unmarshal(plain, v)
}

// OpenBytes decrypts a value sealed by SealBytes; a tampered value is an error.
func (s *Sealer) OpenBytes(sealed string) ([]byte, error) {
	raw, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return nil, errors.New("sealed value malformed")
	}
	plain, err := s.aead.Open(nil, raw[:s.aead.NonceSize()], raw[s.aead.NonceSize():], nil)
	if err != nil {
		return nil, errors.New("sealed value tampered")
	}
	return plain, nil
}
