package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// jaeger is a running Jaeger all-in-one.
type jaeger struct {
	OTLPHTTP string // http://127.0.0.1:port/v1/traces
	OTLPGRPC string // 127.0.0.1:port
	Zipkin   string // http://127.0.0.1:port/api/v2/spans
	Query    string // http://127.0.0.1:port
}

const jaegerConfig = `service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp, zipkin]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: 127.0.0.1:{{health}}
  jaeger_query:
    storage:
      traces: mem
    http:
      endpoint: 127.0.0.1:{{query}}
    grpc:
      endpoint: 127.0.0.1:{{querygrpc}}
  jaeger_storage:
    backends:
      mem:
        memory:
          max_traces: 10000
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:{{otlpgrpc}}
      http:
        endpoint: 127.0.0.1:{{otlphttp}}
  zipkin:
    endpoint: 127.0.0.1:{{zipkin}}
processors:
  batch:
    timeout: 50ms
exporters:
  jaeger_storage_exporter:
    trace_storage: mem
`

// jaegerBinary returns $JAEGER_BIN, skipping the test when it is unset
// outside CI and failing it in CI.
func jaegerBinary(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("JAEGER_BIN")
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("JAEGER_BIN is not set; in CI it must point at the binary .ci/build-jaeger prints")
		}
		t.Skip("JAEGER_BIN is not set; run with JAEGER_BIN=$(.ci/build-jaeger)")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("JAEGER_BIN: %v", err)
	}
	return bin
}

// freePorts returns n distinct free loopback ports.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// startJaeger runs Jaeger on loopback until the test ends.
func startJaeger(t *testing.T) *jaeger {
	t.Helper()
	bin := jaegerBinary(t)
	dir := t.TempDir()
	p := freePorts(t, 6)
	cfg := strings.NewReplacer(
		"{{health}}", fmt.Sprint(p[0]), "{{query}}", fmt.Sprint(p[1]), "{{querygrpc}}", fmt.Sprint(p[2]),
		"{{otlpgrpc}}", fmt.Sprint(p[3]), "{{otlphttp}}", fmt.Sprint(p[4]), "{{zipkin}}", fmt.Sprint(p[5]),
	).Replace(jaegerConfig)
	cfgPath := filepath.Join(dir, "jaeger.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "jaeger.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config", cfgPath)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); logFile.Close() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
		if t.Failed() {
			out, _ := os.ReadFile(logPath)
			t.Logf("jaeger log:\n%s", out)
		}
	})
	health := fmt.Sprintf("http://127.0.0.1:%d/status", p[0])
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-exited:
			out, _ := os.ReadFile(logPath)
			t.Fatalf("jaeger exited (%v):\n%s", err, out)
		default:
		}
		if resp, err := http.Get(health); err == nil {
			var st struct{ Healthy bool }
			json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && st.Healthy {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("jaeger not healthy after 60s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	return &jaeger{
		OTLPHTTP: fmt.Sprintf("http://127.0.0.1:%d/v1/traces", p[4]),
		OTLPGRPC: fmt.Sprintf("127.0.0.1:%d", p[3]),
		Zipkin:   fmt.Sprintf("http://127.0.0.1:%d/api/v2/spans", p[5]),
		Query:    fmt.Sprintf("http://127.0.0.1:%d", p[1]),
	}
}

// The JSON of Jaeger's /api/traces/{id}.
type (
	queryResponse struct {
		Data   []queryTrace `json:"data"`
		Errors []struct {
			Msg string `json:"msg"`
		} `json:"errors"`
	}
	queryTrace struct {
		TraceID   string                  `json:"traceID"`
		Spans     []querySpan             `json:"spans"`
		Processes map[string]queryProcess `json:"processes"`
	}
	querySpan struct {
		TraceID       string     `json:"traceID"`
		SpanID        string     `json:"spanID"`
		OperationName string     `json:"operationName"`
		References    []queryRef `json:"references"`
		StartTime     int64      `json:"startTime"`
		Duration      int64      `json:"duration"`
		Tags          []queryKV  `json:"tags"`
		Logs          []struct {
			Timestamp int64     `json:"timestamp"`
			Fields    []queryKV `json:"fields"`
		} `json:"logs"`
		ProcessID string `json:"processID"`
	}
	queryRef struct {
		RefType string `json:"refType"`
		TraceID string `json:"traceID"`
		SpanID  string `json:"spanID"`
	}
	queryKV struct {
		Key   string `json:"key"`
		Type  string `json:"type"`
		Value any    `json:"value"`
	}
	queryProcess struct {
		ServiceName string    `json:"serviceName"`
		Tags        []queryKV `json:"tags"`
	}
)

// tag returns the value of a span's tag, or nil.
func (s querySpan) tag(key string) any {
	for _, kv := range s.Tags {
		if kv.Key == key {
			return kv.Value
		}
	}
	return nil
}

// waitForTrace polls Jaeger until the trace has at least n spans.
func (j *jaeger) waitForTrace(t *testing.T, traceID string, n int) queryTrace {
	t.Helper()
	url := j.Query + "/api/traces/" + traceID
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var last string
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			var qr queryResponse
			derr := json.NewDecoder(resp.Body).Decode(&qr)
			resp.Body.Close()
			switch {
			case derr != nil:
				last = derr.Error()
			case len(qr.Data) == 1 && len(qr.Data[0].Spans) >= n:
				return qr.Data[0]
			case len(qr.Data) == 1:
				last = fmt.Sprintf("%d of %d spans", len(qr.Data[0].Spans), n)
			default:
				last = fmt.Sprintf("status %d, errors %v", resp.StatusCode, qr.Errors)
			}
		} else {
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			t.Fatalf("trace %s not in Jaeger after 30s: %s", traceID, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
