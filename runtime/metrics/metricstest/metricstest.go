// Package metricstest reads Prometheus metrics in tests: it scrapes a
// /metrics endpoint with Prometheus' own text parser and picks one series'
// value, so tests assert on numbers rather than on text.
package metricstest

import (
	"net/http"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Families are metric families by name.
type Families map[string]*dto.MetricFamily

// Scrape fetches url (an admin /metrics endpoint) and parses it.
func Scrape(t testing.TB, client *http.Client, url string) Families {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s = %d", url, resp.StatusCode)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("%s does not parse: %v", url, err)
	}
	return families
}

// FromGathered indexes a registry's Gather() output by name.
func FromGathered(list []*dto.MetricFamily) Families {
	out := make(Families, len(list))
	for _, f := range list {
		out[f.GetName()] = f
	}
	return out
}

// Value is the first series of name carrying every label pair in labels
// ("class=2xx"): a counter's or gauge's value, a histogram's sample count;
// 0 when there is no such series.
func (fs Families) Value(name string, labels ...string) float64 {
	f := fs[name]
	if f == nil {
		return 0
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for _, kv := range labels {
			k, v, _ := strings.Cut(kv, "=")
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue()
		case m.Gauge != nil:
			return m.GetGauge().GetValue()
		case m.Histogram != nil:
			return float64(m.GetHistogram().GetSampleCount())
		case m.Untyped != nil:
			return m.GetUntyped().GetValue()
		}
	}
	return 0
}

// Sum adds the values of every series of name carrying every label pair in
// labels (a counter over all its other labels: requests of every class).
func (fs Families) Sum(name string, labels ...string) float64 {
	f := fs[name]
	if f == nil {
		return 0
	}
	total := 0.0
	for _, m := range f.GetMetric() {
		one := Families{name: &dto.MetricFamily{Name: f.Name, Type: f.Type, Metric: []*dto.Metric{m}}}
		total += one.Value(name, labels...)
	}
	return total
}
