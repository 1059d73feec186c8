// Package retry sends HTTP requests for the exporters, retrying transient
// failures with exponential backoff and jitter.
//
// Retried: network errors, 429, 502, 503 and 504. A Retry-After header
// (seconds or an HTTP date) replaces the computed backoff. No retry is made
// when the next attempt could not start before the context's deadline; other
// statuses are returned at once as a *StatusError.
package retry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Policy configures the backoff between attempts.
type Policy struct {
	// Initial is the wait after the first failure; it doubles each time.
	Initial time.Duration
	// Max caps one wait (a Retry-After above Max is still honoured, as long
	// as the deadline allows).
	Max time.Duration
	// MaxElapsed bounds all attempts when the context has no deadline.
	MaxElapsed time.Duration
}

// DefaultPolicy is the policy the exporters use.
var DefaultPolicy = Policy{Initial: 100 * time.Millisecond, Max: 5 * time.Second, MaxElapsed: 30 * time.Second}

// maxBody bounds how much of a response body is read.
const maxBody = 64 << 10

// StatusError is a response with a status other than 2xx.
type StatusError struct {
	Code int
	// Body is the start of the response body, for the error message.
	Body string
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("HTTP status %d %s", e.Code, http.StatusText(e.Code))
	if b := strings.TrimSpace(e.Body); b != "" {
		if len(b) > 200 {
			b = b[:200] + "..."
		}
		msg += ": " + b
	}
	return msg
}

// Result is a successful response.
type Result struct {
	Status int
	Body   []byte
	// Attempts is how many requests were sent.
	Attempts int
}

// Retryable reports whether an HTTP status is worth retrying.
func Retryable(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// Do sends the request newReq builds (once per attempt, so the body can be
// read again) until it succeeds, fails permanently, or time runs out. It
// always closes response bodies.
func (p Policy) Do(ctx context.Context, client *http.Client, newReq func(ctx context.Context) (*http.Request, error)) (Result, error) {
	if _, ok := ctx.Deadline(); !ok && p.MaxElapsed > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.MaxElapsed)
		defer cancel()
	}
	backoff := p.Initial
	for attempt := 1; ; attempt++ {
		res, wait, err := send(ctx, client, newReq)
		res.Attempts = attempt
		if err == nil {
			return res, nil
		}
		if wait < 0 || ctx.Err() != nil {
			return res, err
		}
		if wait == 0 {
			wait = jitter(backoff)
			backoff = min(backoff*2, p.Max)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return res, fmt.Errorf("%w (gave up after %d attempts: next retry in %v is past the deadline)", err, attempt, wait.Round(time.Millisecond))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return res, err
		case <-t.C:
		}
	}
}

// send makes one attempt. wait is -1 for a permanent failure, 0 to use the
// backoff, or the server's Retry-After.
func send(ctx context.Context, client *http.Client, newReq func(ctx context.Context) (*http.Request, error)) (Result, time.Duration, error) {
	req, err := newReq(ctx)
	if err != nil {
		return Result{}, -1, err
	}
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return Result{}, -1, err
		}
		return Result{}, 0, err
	}
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody)) // let the connection be reused
	resp.Body.Close()
	res := Result{Status: resp.StatusCode, Body: body}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if readErr != nil {
			// The server accepted the data; only its reply was cut.
			return res, -1, nil
		}
		return res, 0, nil
	}
	serr := &StatusError{Code: resp.StatusCode, Body: string(body)}
	if !Retryable(resp.StatusCode) {
		return res, -1, serr
	}
	return res, RetryAfter(resp.Header.Get("Retry-After"), time.Now()), serr
}

// RetryAfter parses a Retry-After value, in seconds or as an HTTP date, as a
// wait from now; 0 when absent or invalid.
func RetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// jitter returns a random duration in [d/2, d).
func jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2)
}
