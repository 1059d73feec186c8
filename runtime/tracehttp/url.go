package tracehttp

import (
	"net/url"
	"strings"
)

// safeURL is u without its userinfo and, unless values is set, with each
// query value written REDACTED: keys stay, for they say what was asked.
func safeURL(u *url.URL, values bool) string {
	if u.User == nil && (values || u.RawQuery == "") {
		return u.String()
	}
	c := *u
	c.User = nil
	if !values && c.RawQuery != "" {
		parts := strings.Split(c.RawQuery, "&")
		for i, p := range parts {
			if k, _, ok := strings.Cut(p, "="); ok {
				parts[i] = k + "=REDACTED"
			}
		}
		c.RawQuery = strings.Join(parts, "&")
	}
	return c.String()
}
