package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
)

// Sealer encrypts and authenticates small values (the login flow cookie) with AES-256-GCM
// under a key derived from the session key.
type Sealer struct{ aead cipher.AEAD }

// NewSealer derives the cookie key from secret.
func NewSealer(secret []byte) *Sealer {
	k := sha256.Sum256(append([]byte("inburgering-flow-cookie:"), secret...))
	block, err := aes.NewCipher(k[:])
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
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, nil)), nil
}

// Open decrypts a value sealed by Seal into v; a tampered value is an error.
func (s *Sealer) Open(sealed string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return errors.New("sealed value malformed")
	}
	plain, err := s.aead.Open(nil, raw[:s.aead.NonceSize()], raw[s.aead.NonceSize():], nil)
	if err != nil {
		return errors.New("sealed value tampered")
	}
	return json.Unmarshal(plain, v)
}
