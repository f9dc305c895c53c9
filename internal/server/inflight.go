package server

import (
	"bytes"
	"io"
	"net/http"
)

// LimitInFlight lets at most n requests into h at once; the others wait at the top, before any
// middleware runs, in arrival order (a channel's waiting senders are served first come, first
// served), until a place frees or their client goes away.
//
// Why (issue 12, the booking storm): with thousands of connections open at once, every request
// went into the stack and waited deep inside it for one of the database pool's connections.
// Thousands of deep goroutine stacks, each request's allocations alive meanwhile, held the heap
// at the soft memory limit, and the collector ran without pause (more than half the server's CPU
// in the storm's profiles, most of it scanning those stacks). A request waiting here has a
// shallow stack and has allocated only its parsed headers. The limit is well above the database
// pool, so at the 64 connections of a normal load it never binds.
//
// A place is never held waiting for a client: a body of up to maxBufferedBody bytes is read
// before the request waits for its place (a slow sender holds only its own connection), and a
// request with a larger body (an upload) does not take a place at all.
func LimitInFlight(n int, h http.Handler) http.Handler {
	places := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			if r.ContentLength > maxBufferedBody || !bufferBody(r) {
				h.ServeHTTP(w, r)
				return
			}
		}
		select {
		case places <- struct{}{}:
		case <-r.Context().Done():
			// The client left while waiting: nothing was done, nothing is answered.
			return
		}
		defer func() { <-places }()
		h.ServeHTTP(w, r)
	})
}

// maxBufferedBody is the largest body LimitInFlight reads before a request takes its place.
const maxBufferedBody = 64 << 10

// bufferBody reads r's body up to maxBufferedBody bytes and puts back a body that gives the same
// bytes and the same end: io.EOF, or the read's error (a client that broke off), or, past the
// limit, the rest of the original body. It reports whether the whole body was read.
func bufferBody(r *http.Request) bool {
	orig := r.Body
	buf, err := io.ReadAll(io.LimitReader(orig, maxBufferedBody+1))
	switch {
	case err != nil:
		r.Body = replayBody{io.MultiReader(bytes.NewReader(buf), errReader{err}), orig}
		return true
	case len(buf) > maxBufferedBody:
		r.Body = replayBody{io.MultiReader(bytes.NewReader(buf), orig), orig}
		return false
	}
	r.Body = replayBody{bytes.NewReader(buf), orig}
	return true
}

// replayBody reads from r and closes the original body.
type replayBody struct {
	r    io.Reader
	orig io.Closer
}

func (b replayBody) Read(p []byte) (int, error) { return b.r.Read(p) }
func (b replayBody) Close() error               { return b.orig.Close() }

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// MaxInFlight is the server's LimitInFlight: more than the database pool's twenty connections
// and the two cores can serve at once, fewer than a storm's thousands.
const MaxInFlight = 128
