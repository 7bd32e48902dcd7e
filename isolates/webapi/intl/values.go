package intl

import (
	"sort"
	"strings"
	"sync"
)

var (
	zonesOnce sync.Once
	zones     []string
)

// TimeZones are the IANA zones CLDR maps to metazones, sorted.
func TimeZones() []string {
	zonesOnce.Do(func() {
		for z := range load().ZoneMetazone {
			if !strings.HasPrefix(z, "Etc/") {
				zones = append(zones, z)
			}
		}
		for z := range renamedZones {
			zones = append(zones, z)
		}
		zones = append(zones, "UTC")
		sort.Strings(zones)
	})
	return zones
}

// SupportedValues answers Intl.supportedValuesOf(key), or nil for an
// unknown key.
func SupportedValues(key string) []string {
	var out []string
	switch key {
	case "calendar":
		out = []string{"gregory"}
	case "collation":
		out = []string{"default"}
	case "currency":
		for c := range locale("en").Currencies {
			out = append(out, c)
		}
	case "numberingSystem":
		out = []string{"arab", "latn"}
	case "timeZone":
		return append([]string(nil), TimeZones()...)
	case "unit":
		out = append(out, load().Units...)
	default:
		return nil
	}
	sort.Strings(out)
	return out
}
