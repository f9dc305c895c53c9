package auth

import (
	"crypto/hkdf"
	"crypto/sha256"
)

// Purposes of the keys derived from a root key. Each purpose gets its own, independent key, so
// that one root key can seal cookies and tokens at rest without the two ever sharing a key.
const (
	// From SESSION_KEY.
	PurposeFlowCookie = "flow-cookie"      // the sealed login-flow cookie
	PurposeIDToken    = "id-token-at-rest" // the sealed ID token kept as logout hint
	PurposeKeptForm   = "kept-form"        // what was typed in a form posted after the session ended
	// From PSEUDONYM_KEY.
	PurposePseudonym = "audit-pseudonym" // the HMAC key that turns a BSN into an audit pseudonym
)

// DeriveKey derives the 256-bit key for purpose from root with HKDF-SHA256 (RFC 5869). The root
// key is a configured secret of at least 32 characters; the purpose is the HKDF info.
func DeriveKey(root []byte, purpose string) []byte {
	k, err := hkdf.Key(sha256.New, root, nil, "inburgering/"+purpose, 32)
	if err != nil {
		panic(err) // only for a key length HKDF-SHA256 cannot give; 32 always works
	}
	return k
}
