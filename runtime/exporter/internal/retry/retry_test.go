package retry

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"3", 3 * time.Second},
		{" 1 ", time.Second},
		{"0", 0},
		{"-5", 0},
		{"soon", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	} {
		if got := RetryAfter(tc.in, now); got != tc.want {
			t.Errorf("RetryAfter(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

var fast = Policy{Initial: time.Millisecond, Max: 4 * time.Millisecond, MaxElapsed: 5 * time.Second}

// server answers with the statuses in order, then 200.
func server(t *testing.T, statuses []int, header http.Header) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i < len(statuses) {
			for k, v := range header {
				w.Header()[k] = v
			}
			w.WriteHeader(statuses[i])
			w.Write([]byte("status body"))
			return
		}
		w.Write([]byte("ok"))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func get(url string) func(ctx context.Context) (*http.Request, error) {
	return func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader("body"))
	}
}

func TestDoRetriesTransientStatuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		statuses []int
		wantErr  string
		wantReqs int32
	}{
		{"ok", nil, "", 1},
		{"429 then ok", []int{429}, "", 2},
		{"502 503 504 then ok", []int{502, 503, 504}, "", 4},
		{"400 not retried", []int{400}, "HTTP status 400 Bad Request: status body", 1},
		{"401 not retried", []int{401}, "HTTP status 401", 1},
		{"500 not retried", []int{500}, "HTTP status 500", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, n := server(t, tc.statuses, nil)
			res, err := fast.Do(context.Background(), srv.Client(), get(srv.URL))
			if tc.wantErr == "" {
				if err != nil || string(res.Body) != "ok" {
					t.Fatalf("Do = %q, %v; want ok", res.Body, err)
				}
			} else {
				var se *StatusError
				if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want a StatusError containing %q", err, tc.wantErr)
				}
			}
			if got := n.Load(); got != tc.wantReqs || int32(res.Attempts) != tc.wantReqs {
				t.Errorf("%d requests, %d attempts; want %d", got, res.Attempts, tc.wantReqs)
			}
		})
	}
}

func TestDoHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	srv, n := server(t, []int{429}, http.Header{"Retry-After": {"1"}})
	start := time.Now()
	_, err := fast.Do(context.Background(), srv.Client(), get(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("retried after %v, want at least the 1s of Retry-After", d)
	}
	if n.Load() != 2 {
		t.Errorf("%d requests, want 2", n.Load())
	}
}

func TestDoGivesUpWhenRetryAfterPassesDeadline(t *testing.T) {
	t.Parallel()
	srv, n := server(t, []int{503}, http.Header{"Retry-After": {"30"}})
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := fast.Do(ctx, srv.Client(), get(srv.URL))
	if err == nil || !strings.Contains(err.Error(), "past the deadline") {
		t.Errorf("error %v, want a give-up past the deadline", err)
	}
	if d := time.Since(start); d > 250*time.Millisecond {
		t.Errorf("took %v; it should give up at once", d)
	}
	if n.Load() != 1 {
		t.Errorf("%d requests, want 1", n.Load())
	}
}

func TestDoRetriesNetworkErrorsUntilDeadline(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // connection refused from now on
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	res, err := fast.Do(ctx, http.DefaultClient, get("http://"+addr))
	if err == nil {
		t.Fatal("no error from a closed port")
	}
	if res.Attempts < 3 {
		t.Errorf("%d attempts, want several", res.Attempts)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v, past the 200ms deadline", d)
	}
}

func TestDoStopsOnCancel(t *testing.T) {
	t.Parallel()
	srv, _ := server(t, []int{503, 503, 503, 503, 503, 503, 503, 503}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := fast.Do(ctx, srv.Client(), get(srv.URL)); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestJitter(t *testing.T) {
	t.Parallel()
	for range 1000 {
		if d := jitter(100 * time.Millisecond); d < 50*time.Millisecond || d >= 100*time.Millisecond {
			t.Fatalf("jitter(100ms) = %v, want in [50ms,100ms)", d)
		}
	}
}
