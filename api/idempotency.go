package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/inburgering/portal/internal/app"
)

// IdempotencyKeyHeader is the header of IETF draft-ietf-httpapi-idempotency-key-header.
const IdempotencyKeyHeader = "Idempotency-Key"

// recorder passes a response through and keeps a copy of its body.
type recorder struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// Idempotency makes the writes of schools idempotent per client and key (design.md §4): it runs
// after the gate, so the caller is known and the request valid. The first request with a key
// claims it in the database and its answer is stored; the same key with the same request replays
// that answer; with another request it is 422, and while the first still runs 409. A failure
// worth retrying (5xx, 429) releases the key.
func Idempotency(svc *app.Service) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			key := req.Header.Get(IdempotencyKeyHeader)
			p, ok := app.PrincipalFrom(req.Context())
			if req.Method != http.MethodPost || key == "" || !ok || !idempotentFor(p, req.URL.Path) {
				return next(c)
			}
			var (
				fingerprint string
				final       func() (string, error)
				hashed      hash.Hash
			)
			if req.GetBody == nil && req.Body != nil && req.Body != http.NoBody {
				// A streamed body (CSV): hashed as the handler reads it; a replay reads its own.
				fingerprint = "stream " + req.Method + " " + req.URL.RequestURI() + " "
				prefix := fingerprint
				final = func() (string, error) {
					h := sha256.New()
					if _, err := io.Copy(h, req.Body); err != nil {
						return "", err
					}
					return prefix + hex.EncodeToString(h.Sum(nil)), nil
				}
				hashed = sha256.New()
				req.Body = struct {
					io.Reader
					io.Closer
				}{io.TeeReader(req.Body, hashed), req.Body}
			} else {
				fp, err := fingerprintOf(req)
				if err != nil {
					return err
				}
				fingerprint = fp
			}
			if final == nil && oneTransaction(req.URL.Path) {
				return idempotentInTx(c, next, svc, key, fingerprint)
			}
			stored, err := svc.BeginIdempotent(req.Context(), key, fingerprint, final)
			if err != nil {
				return err
			}
			if stored != nil {
				return replay(c, stored)
			}
			rec := &recorder{ResponseWriter: c.Response().Writer}
			c.Response().Writer = rec
			if err := next(c); err != nil {
				c.Error(err) // answer here, so that the answer is what is stored
			}
			c.Response().Writer = rec.ResponseWriter
			if hashed != nil {
				// What the handler left unread counts too, so that a retry of the same file matches.
				if _, err := io.Copy(io.Discard, req.Body); err != nil {
					return svc.FinishIdempotent(req.Context(), key, fingerprint, http.StatusInternalServerError, "", "")
				}
				fingerprint += hex.EncodeToString(hashed.Sum(nil))
			}
			return svc.FinishIdempotent(req.Context(), key, fingerprint, c.Response().Status, rec.body.String(), keptHeaders(c.Response().Header()))
		}
	}
}

// replayedHeaders are the response headers a replay repeats: where the resource is and its version.
var replayedHeaders = []string{"Location", "ETag"}

// keptHeaders encodes the replayed headers of a response as JSON; "" when it has none.
func keptHeaders(h http.Header) string {
	m := map[string]string{}
	for _, name := range replayedHeaders {
		if v := h.Get(name); v != "" {
			m[name] = v
		}
	}
	if len(m) == 0 {
		return ""
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// idempotentFor reports whether the POSTs of p to path take part in Idempotency-Key: every write
// of a school, and an inburgeraar's booking of an appointment.
func idempotentFor(p app.Principal, path string) bool {
	switch p.Kind {
	case app.PrincipalSchool:
		return true
	case app.PrincipalInburgeraar:
		return path == "/v2/mijn/afspraken"
	}
	return false
}

// fingerprintOf hashes what makes a request the same request: method, target and body. The gate
// left the body readable again (GetBody).
func fingerprintOf(req *http.Request) (string, error) {
	h := sha256.New()
	io.WriteString(h, req.Method+" "+req.URL.RequestURI()+"\n")
	if req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return "", err
		}
		defer b.Close()
		if _, err := io.Copy(h, b); err != nil {
			return "", err
		}
	} else {
		io.WriteString(h, "len:"+strconv.FormatInt(req.ContentLength, 10))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// SchoolBodyLimit is the body limit of the JSON writes of schools and the token endpoint: their
// bodies are a few hundred bytes (the CSV upload, when it comes, gets its own documented limit).
const SchoolBodyLimit = "16K"

// schoolWritePrefixes are the paths SchoolBodyLimit applies to.
var schoolWritePrefixes = []string{"/v2/oauth2/token", "/v2/contracten", "/v2/contractbestanden", "/v2/urenverklaringen", "/v2/verificatieverzoeken"}

// ContractFileLimit is the body limit of a contract file (text/csv), documented in openapi.yaml.
const ContractFileLimit = "10M"

// BodyLimits puts the per-route body limits in front of the gate (which reads the body).
func BodyLimits() echo.MiddlewareFunc {
	file := middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit:   ContractFileLimit,
		Skipper: func(c echo.Context) bool { return c.Request().URL.Path != "/v2/contractbestanden" },
	})
	json := middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit: SchoolBodyLimit,
		Skipper: func(c echo.Context) bool {
			p := c.Request().URL.Path
			if p == "/v2/contractbestanden" {
				return true
			}
			for _, prefix := range schoolWritePrefixes {
				if p == prefix || strings.HasPrefix(p, prefix+"/") {
					return false
				}
			}
			return true
		},
	})
	evidence := middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit:   strconv.Itoa(app.MaxEvidenceBody>>10) + "K", // evidence.go
		Skipper: func(c echo.Context) bool { return !evidencePath(c.Request().URL.Path) },
	})
	return func(next echo.HandlerFunc) echo.HandlerFunc { return file(json(evidence(next))) }
}

// HasOwnBodyLimit reports the requests BodyLimits gives a larger limit than the server's default.
func HasOwnBodyLimit(c echo.Context) bool {
	return c.Request().URL.Path == "/v2/contractbestanden" || evidencePath(c.Request().URL.Path)
}

// oneTransaction reports the writes whose work and Idempotency-Key answer run in one
// transaction (idempotentInTx): JSON bodies, handlers that only use the database.
func oneTransaction(path string) bool {
	switch path {
	case "/v2/urenverklaringen", "/v2/contracten", "/v2/mijn/afspraken":
		return true
	}
	return false
}

// idempotentInTx answers a request under an Idempotency-Key with one transaction and one commit
// (app.RunIdempotent): the handler runs with the transaction in its request's context and writes
// into a buffer; the answer goes out only once it is stored and committed, or, when the key was
// taken, the stored answer goes out instead. An error is rendered after the rollback, outside
// the transaction (the error handler may read the caller's language).
func idempotentInTx(c echo.Context, next echo.HandlerFunc, svc *app.Service, key, fingerprint string) error {
	req, resp := c.Request(), c.Response()
	base := resp.Writer
	var last *bufferedWriter
	capture := func(fn func()) app.Answer {
		b := &bufferedWriter{h: base.Header().Clone()}
		resp.Writer, resp.Committed, resp.Status, resp.Size = b, false, http.StatusOK, 0
		fn()
		resp.Writer, resp.Committed, resp.Size = base, false, 0
		if b.status == 0 {
			b.status = resp.Status
		}
		last = b
		return app.Answer{Status: b.status, Body: b.body.String(), Headers: keptHeaders(b.h)}
	}
	ans, replayed, err := svc.RunIdempotent(req.Context(), key, fingerprint, func(ctx context.Context) (app.Answer, error) {
		c.SetRequest(req.WithContext(ctx))
		defer c.SetRequest(req)
		var herr error
		a := capture(func() { herr = next(c) })
		if herr != nil {
			return app.Answer{}, &app.Failed{Err: herr}
		}
		return a, nil
	}, func(err error) app.Answer {
		return capture(func() { c.Error(err) })
	})
	resp.Writer, resp.Committed, resp.Status, resp.Size = base, false, http.StatusOK, 0
	if err != nil {
		return err
	}
	if replayed {
		return replay(c, &app.StoredResponse{Status: ans.Status, Body: ans.Body, Headers: ans.Headers})
	}
	h := resp.Header()
	for k := range h {
		if _, ok := last.h[k]; !ok {
			delete(h, k)
		}
	}
	for k, v := range last.h {
		h[k] = v
	}
	resp.WriteHeader(last.status)
	_, err = resp.Write(last.body.Bytes())
	return err
}

// replay writes a stored answer, marked Idempotent-Replayed.
func replay(c echo.Context, stored *app.StoredResponse) error {
	ct := "application/json"
	if stored.Status >= 400 {
		ct = "application/problem+json"
	}
	c.Response().Header().Set("Idempotent-Replayed", "true")
	if stored.Headers != "" {
		var hs map[string]string
		if json.Unmarshal([]byte(stored.Headers), &hs) == nil {
			for _, name := range replayedHeaders {
				if v, ok := hs[name]; ok {
					c.Response().Header().Set(name, v)
				}
			}
		}
	}
	return c.Blob(stored.Status, ct, []byte(stored.Body))
}

// bufferedWriter keeps a response (its own copy of the headers) until it may go out.
type bufferedWriter struct {
	h      http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.h }

func (b *bufferedWriter) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
