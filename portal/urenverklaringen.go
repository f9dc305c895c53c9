package portal

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// registerHours adds the inburgeraar's hours overview: their hour declarations with each status
// explained, the hours per school and, on Wi2013, the way to the AGI exemption (issue 10 §4).
func (p *Portal) registerHours(mine *echo.Group) {
	mine.GET("/urenverklaringen", p.hours)
}

func (p *Portal) hours(c echo.Context) error {
	h, err := p.Service.HoursOverview(c.Request().Context(), session(c).InburgeraarID)
	if err != nil {
		return err
	}
	v := p.view(c, "hours.title", h)
	v.Back = link(c, "/mijn")
	return p.Render.Render(c, http.StatusOK, "urenverklaringen", v)
}
