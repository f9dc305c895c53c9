package api

import (
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

// maxReportedQueryParams bounds the parameter names one refusal lists.
const maxReportedQueryParams = 10

// TokenQueryGuard refuses a request to the token endpoint that carries parameters in its query
// string. The form fields (client_assertion, grant_type, …) belong in the body (RFC 6749 §2.3,
// §4.4.2; RFC 7523 §2.2): in a URL they end up in access logs, proxies and browser history.
// Echo's form parsing would otherwise merge query and body silently. The refusal names the
// parameters, never their values; nothing is checked or stored, so a leaked assertion is not
// also spent.
func TokenQueryGuard() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.URL.Path != app.TokenEndpointPath || r.URL.RawQuery == "" {
				return next(c)
			}
			names := make([]string, 0, 4)
			for k := range r.URL.Query() {
				names = append(names, k)
			}
			sort.Strings(names)
			if len(names) > maxReportedQueryParams {
				names = names[:maxReportedQueryParams]
			}
			v := make([]domain.Violation, 0, len(names)+1)
			for _, n := range names {
				v = append(v, domain.Violation{Field: n, MessageID: "error.token_query_param"})
			}
			if len(v) == 0 { // a bare "?" or "?&": still not the place for anything
				v = append(v, domain.Violation{Field: "query", MessageID: "error.token_query_param"})
			}
			return domain.Invalid(v...)
		}
	}
}
