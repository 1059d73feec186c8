package services_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/mocktracer"

	"github.com/tracegen/tracegen/examples/twoservice/services"
)

// env returns the variable that points at a server the test needs; without
// it the test is skipped, but fails under CI.
func env(t *testing.T, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI must start the services (.ci/start-services)", name)
		}
		t.Skipf("%s is not set: eval \"$(.ci/start-services)\" to run this test", name)
	}
	return v
}

// TestTree places a paid and a declined order with the mock tracer and
// checks each trace's exact tree: names, kinds, parents across both
// services, status codes, errors, and that no secret reached any tag.
func TestTree(t *testing.T) {
	dsn, addr := env(t, "TRACEGEN_POSTGRES_DSN"), env(t, "TRACEGEN_REDIS_ADDR")
	tr := mocktracer.New()
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)
	svc, err := services.Start(context.Background(), dsn, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()

	want := map[string][]string{
		"7": {
			"POST /orders/{id} server status=201",
			"  services.(*Orders).PlaceOrder",
			"    services.(*Orders).reserve",
			"      SET client statement=\"set reservation:7 ? ? ?\"",
			"    services.(*Orders).charge",
			"      POST client status=200",
			"        POST /charge server status=200",
			"          services.(*Payments).Authorize",
			"    services.(*Orders).save",
			"      INSERT client",
		},
		"8": {
			"POST /orders/{id} server status=402",
			"  services.(*Orders).PlaceOrder error",
			"    services.(*Orders).reserve",
			"      SET client statement=\"set reservation:8 ? ? ?\"",
			"    services.(*Orders).charge error",
			"      POST client status=402",
			"        POST /charge server status=402",
			"          services.(*Payments).Authorize error",
		},
	}
	for _, o := range []struct {
		id    string
		cents int
		code  int
	}{{"7", 1250, 201}, {"8", 990000, 402}} {
		tr.Reset()
		resp, err := http.Post(fmt.Sprintf("%s/orders/%s?cents=%d", svc.Orders.URL, o.id, o.cents), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != o.code {
			t.Fatalf("order %s: %s, want %d", o.id, resp.Status, o.code)
		}
		spans := waitForSpans(t, tr, len(want[o.id]))
		if diff := cmp.Diff(want[o.id], tree(spans)); diff != "" {
			t.Errorf("order %s: tree (-want +got):\n%s", o.id, diff)
		}
		for _, s := range spans {
			for k, v := range s.Tags() {
				str := fmt.Sprint(v)
				for _, secret := range []string{"s3cr3t", "4111111111111111"} {
					if strings.Contains(str, secret) {
						t.Errorf("%s: tag %s = %q holds a secret", s.OperationName(), k, str)
					}
				}
			}
		}
	}
}

// waitForSpans waits for n finished spans: the server spans end after the
// client has its answer.
func waitForSpans(t *testing.T, tr *mocktracer.Tracer, n int) []*mocktracer.Span {
	t.Helper()
	for i := 0; i < 500; i++ {
		if spans := tr.FinishedSpans(); len(spans) >= n {
			return spans
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%d spans finished, want %d: %v", len(tr.FinishedSpans()), n, tr.FinishedSpans())
	return nil
}

// tree renders spans as an indented tree, children in start order.
func tree(spans []*mocktracer.Span) []string {
	children := map[uint64][]*mocktracer.Span{}
	ids := map[uint64]bool{}
	for _, s := range spans {
		ids[s.SpanID()] = true
	}
	var roots []*mocktracer.Span
	for _, s := range spans {
		if ids[s.ParentID()] {
			children[s.ParentID()] = append(children[s.ParentID()], s)
		} else {
			roots = append(roots, s)
		}
	}
	var out []string
	var walk func(s *mocktracer.Span, depth int)
	walk = func(s *mocktracer.Span, depth int) {
		line := strings.Repeat("  ", depth) + s.OperationName()
		if k, ok := s.Tag("span.kind").(string); ok {
			line += " " + k
		}
		if c := s.Tag("http.status_code"); c != nil {
			line += fmt.Sprintf(" status=%v", c)
		}
		if st, ok := s.Tag("db.statement").(string); ok && s.Tag("db.type") == "redis" {
			line += fmt.Sprintf(" statement=%q", st)
		}
		if s.Tag("error") == true {
			line += " error"
		}
		out = append(out, line)
		kids := children[s.SpanID()]
		sort.SliceStable(kids, func(i, j int) bool { return kids[i].StartTime().Before(kids[j].StartTime()) })
		for _, c := range kids {
			walk(c, depth+1)
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	return out
}
