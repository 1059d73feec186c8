package setup

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is the tracing configuration read from the environment. Build turns
// it into a tracer; ConfigFromEnv fills it.
type Config struct {
	// ServiceName from OTEL_SERVICE_NAME, else the service.name resource
	// attribute, else "unknown_service:" and the executable's name.
	ServiceName string

	// ResourceAttributes from OTEL_RESOURCE_ATTRIBUTES, in order, values
	// percent-decoded (service.name removed: it is ServiceName).
	ResourceAttributes []Attribute

	// Exporters from OTEL_TRACES_EXPORTER: "otlp", "zipkin", "console",
	// "tree"; empty for "none".
	Exporters []string

	// ConsoleFile from TRACEGEN_CONSOLE_FILE: the console exporter writes
	// JSON lines to this file instead of standard error.
	ConsoleFile string

	OTLP OTLPConfig

	// ZipkinEndpoint from OTEL_EXPORTER_ZIPKIN_ENDPOINT.
	ZipkinEndpoint string

	// Sampler from OTEL_TRACES_SAMPLER (default parentbased_always_on) and
	// SamplerArg from OTEL_TRACES_SAMPLER_ARG (the ratio, default 1).
	Sampler    string
	SamplerArg float64

	// Propagators from OTEL_PROPAGATORS (default "tracecontext,baggage");
	// empty for "none".
	Propagators []string

	// Batch from the OTEL_BSP_* variables; zero fields keep the batch
	// processor's defaults.
	Batch BatchConfig

	// Disabled is OTEL_SDK_DISABLED=true: no tracer is installed.
	Disabled bool
}

// BatchConfig configures each exporter's batch processor.
type BatchConfig struct {
	// ScheduleDelay from OTEL_BSP_SCHEDULE_DELAY (milliseconds).
	ScheduleDelay time.Duration
	// ExportTimeout from OTEL_BSP_EXPORT_TIMEOUT (milliseconds).
	ExportTimeout time.Duration
	// MaxQueueSize from OTEL_BSP_MAX_QUEUE_SIZE.
	MaxQueueSize int
	// MaxExportBatchSize from OTEL_BSP_MAX_EXPORT_BATCH_SIZE.
	MaxExportBatchSize int
}

// Attribute is one resource attribute.
type Attribute struct{ Key, Value string }

// OTLPConfig is the OTLP exporter's part of Config.
type OTLPConfig struct {
	// Protocol: "http/protobuf" (default) or "grpc".
	Protocol string
	// Endpoint: for HTTP, the full URL spans are posted to; for gRPC, the
	// URL whose host and port are dialled.
	Endpoint string
	Headers  map[string]string
	// Gzip from the compression variables ("gzip" or "none").
	Gzip    bool
	Timeout time.Duration
}

// The environment variables ConfigFromEnv reads.
const (
	EnvServiceName        = "OTEL_SERVICE_NAME"
	EnvResourceAttributes = "OTEL_RESOURCE_ATTRIBUTES"
	EnvTracesExporter     = "OTEL_TRACES_EXPORTER"
	EnvSampler            = "OTEL_TRACES_SAMPLER"
	EnvSamplerArg         = "OTEL_TRACES_SAMPLER_ARG"
	EnvPropagators        = "OTEL_PROPAGATORS"
	EnvZipkinEndpoint     = "OTEL_EXPORTER_ZIPKIN_ENDPOINT"
	EnvSDKDisabled        = "OTEL_SDK_DISABLED"
	EnvConsoleFile        = "TRACEGEN_CONSOLE_FILE"
)

// DefaultZipkinEndpoint is used when OTEL_EXPORTER_ZIPKIN_ENDPOINT is unset.
const DefaultZipkinEndpoint = "http://localhost:9411/api/v2/spans"

var knownExporters = map[string]bool{"otlp": true, "zipkin": true, "console": true, "tree": true}

var knownSamplers = map[string]bool{
	"always_on": true, "always_off": true, "traceidratio": true,
	"parentbased_always_on": true, "parentbased_always_off": true, "parentbased_traceidratio": true,
}

// ConfigFromEnv reads the configuration from the environment through
// getenv (os.Getenv when nil). It reports every invalid variable at once,
// each error naming the variable and its value.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	r := envReader{getenv: getenv}
	var c Config
	c.Disabled = r.bool(EnvSDKDisabled)
	c.ResourceAttributes = r.resourceAttributes()
	c.ServiceName = strings.TrimSpace(getenv(EnvServiceName))
	for i, a := range c.ResourceAttributes {
		if a.Key == "service.name" {
			if c.ServiceName == "" {
				c.ServiceName = a.Value
			}
			c.ResourceAttributes = append(c.ResourceAttributes[:i:i], c.ResourceAttributes[i+1:]...)
			break
		}
	}
	if c.ServiceName == "" {
		c.ServiceName = "unknown_service:" + filepath.Base(os.Args[0])
	}
	c.Exporters = r.exporters()
	c.ConsoleFile = getenv(EnvConsoleFile)
	c.OTLP = r.otlp()
	c.ZipkinEndpoint = r.url(EnvZipkinEndpoint, DefaultZipkinEndpoint)
	c.Sampler, c.SamplerArg = r.sampler()
	c.Propagators = r.list(EnvPropagators, "tracecontext,baggage")
	c.Batch = BatchConfig{
		ScheduleDelay:      time.Duration(r.positiveInt("OTEL_BSP_SCHEDULE_DELAY")) * time.Millisecond,
		ExportTimeout:      time.Duration(r.positiveInt("OTEL_BSP_EXPORT_TIMEOUT")) * time.Millisecond,
		MaxQueueSize:       r.positiveInt("OTEL_BSP_MAX_QUEUE_SIZE"),
		MaxExportBatchSize: r.positiveInt("OTEL_BSP_MAX_EXPORT_BATCH_SIZE"),
	}
	if q, b := c.Batch.MaxQueueSize, c.Batch.MaxExportBatchSize; q > 0 && b > q {
		r.fail("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", strconv.Itoa(b), "larger than OTEL_BSP_MAX_QUEUE_SIZE=%d", q)
	}
	return c, errors.Join(r.errs...)
}

type envReader struct {
	getenv func(string) string
	errs   []error
}

func (r *envReader) fail(name, value, format string, args ...any) {
	r.errs = append(r.errs, fmt.Errorf("%s=%q: %s", name, value, fmt.Sprintf(format, args...)))
}

func (r *envReader) bool(name string) bool {
	v := strings.TrimSpace(r.getenv(name))
	switch strings.ToLower(v) {
	case "", "false":
		return false
	case "true":
		return true
	}
	r.fail(name, v, "want true or false")
	return false
}

// positiveInt reads a positive integer; 0 when unset.
func (r *envReader) positiveInt(name string) int {
	v := strings.TrimSpace(r.getenv(name))
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		r.fail(name, v, "want a positive integer")
		return 0
	}
	return n
}

// list splits a comma list, lowercased and trimmed; "none" alone is empty.
func (r *envReader) list(name, def string) []string {
	v := r.getenv(name)
	if strings.TrimSpace(v) == "" {
		v = def
	}
	var out []string
	for _, s := range strings.Split(v, ",") {
		s = strings.ToLower(strings.TrimSpace(s))
		if s == "" {
			r.fail(name, v, "empty entry in the list")
			continue
		}
		out = append(out, s)
	}
	if len(out) == 1 && out[0] == "none" {
		return nil
	}
	for _, s := range out {
		if s == "none" {
			r.fail(name, v, `"none" cannot be combined with other values`)
			return nil
		}
	}
	return out
}

func (r *envReader) exporters() []string {
	list := r.list(EnvTracesExporter, "console")
	seen := map[string]bool{}
	var out []string
	for _, e := range list {
		if !knownExporters[e] {
			r.fail(EnvTracesExporter, r.getenv(EnvTracesExporter), "unknown exporter %q (want otlp, zipkin, console, tree or none)", e)
			continue
		}
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

// resourceAttributes parses key=value,key2=value2 with percent-encoded
// values (the W3C Baggage format without properties).
func (r *envReader) resourceAttributes() []Attribute {
	v := r.getenv(EnvResourceAttributes)
	if strings.TrimSpace(v) == "" {
		return nil
	}
	pairs, err := parseKeyValues(v)
	if err != nil {
		r.fail(EnvResourceAttributes, v, "%v", err)
	}
	return pairs
}

func parseKeyValues(v string) ([]Attribute, error) {
	var out []Attribute
	for _, entry := range strings.Split(v, ",") {
		if strings.TrimSpace(entry) == "" {
			continue
		}
		key, value, ok := strings.Cut(entry, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			return out, fmt.Errorf("entry %q is not key=value", strings.TrimSpace(entry))
		}
		dec, err := url.PathUnescape(strings.TrimSpace(value))
		if err != nil {
			return out, fmt.Errorf("value of %q: %v", key, err)
		}
		if k, err := url.PathUnescape(key); err == nil {
			key = k
		}
		out = append(out, Attribute{Key: key, Value: dec})
	}
	return out, nil
}

// url checks an http(s) URL variable.
func (r *envReader) url(name, def string) string {
	v := strings.TrimSpace(r.getenv(name))
	if v == "" {
		return def
	}
	if err := checkHTTPURL(v); err != nil {
		r.fail(name, v, "%v", err)
		return def
	}
	return v
}

func checkHTTPURL(v string) error {
	u, err := url.Parse(v)
	if err != nil {
		return errors.New("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return errors.New("want an http:// or https:// URL")
	}
	if u.Host == "" {
		return errors.New("URL has no host")
	}
	return nil
}

// first returns the first non-empty variable of names and its name.
func (r *envReader) first(names ...string) (name, value string) {
	for _, n := range names {
		if v := strings.TrimSpace(r.getenv(n)); v != "" {
			return n, v
		}
	}
	return names[len(names)-1], ""
}

func (r *envReader) otlp() OTLPConfig {
	c := OTLPConfig{Protocol: "http/protobuf", Timeout: 10 * time.Second}
	if name, v := r.first("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"); v != "" {
		switch v {
		case "http/protobuf", "grpc":
			c.Protocol = v
		case "http/json":
			r.fail(name, v, "http/json is not supported (use http/protobuf or grpc)")
		default:
			r.fail(name, v, "unknown protocol (want http/protobuf or grpc)")
		}
	}
	if name, v := r.first("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"); v != "" {
		if err := checkHTTPURL(v); err != nil {
			r.fail(name, v, "%v", err)
		}
		c.Endpoint = v // signal-specific: used as it is
	} else if name, v := r.first("OTEL_EXPORTER_OTLP_ENDPOINT"); v != "" {
		if err := checkHTTPURL(v); err != nil {
			r.fail(name, v, "%v", err)
		}
		c.Endpoint = v
		if c.Protocol == "http/protobuf" {
			c.Endpoint = strings.TrimSuffix(v, "/") + "/v1/traces"
		}
	} else if c.Protocol == "grpc" {
		c.Endpoint = "http://localhost:4317"
	} else {
		c.Endpoint = "http://localhost:4318/v1/traces"
	}
	if name, v := r.first("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_HEADERS"); v != "" {
		pairs, err := parseKeyValues(v)
		if err != nil {
			r.fail(name, v, "%v", err)
		}
		c.Headers = make(map[string]string, len(pairs))
		for _, p := range pairs {
			c.Headers[p.Key] = p.Value
		}
	}
	if name, v := r.first("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "OTEL_EXPORTER_OTLP_COMPRESSION"); v != "" {
		switch v {
		case "gzip":
			c.Gzip = true
		case "none":
		default:
			r.fail(name, v, "want gzip or none")
		}
	}
	if name, v := r.first("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT"); v != "" {
		ms, err := strconv.Atoi(v)
		if err != nil || ms <= 0 {
			r.fail(name, v, "want a positive number of milliseconds")
		} else {
			c.Timeout = time.Duration(ms) * time.Millisecond
		}
	}
	return c
}

func (r *envReader) sampler() (string, float64) {
	name := strings.ToLower(strings.TrimSpace(r.getenv(EnvSampler)))
	if name == "" {
		name = "parentbased_always_on"
	}
	if !knownSamplers[name] {
		r.fail(EnvSampler, r.getenv(EnvSampler), "unknown sampler (want always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio)")
		return "parentbased_always_on", 1
	}
	arg := strings.TrimSpace(r.getenv(EnvSamplerArg))
	if !strings.HasSuffix(name, "traceidratio") || arg == "" {
		return name, 1
	}
	ratio, err := strconv.ParseFloat(arg, 64)
	if err != nil || ratio < 0 || ratio > 1 {
		r.fail(EnvSamplerArg, arg, "want a ratio between 0 and 1 for sampler %s", name)
		return name, 1
	}
	return name, ratio
}
