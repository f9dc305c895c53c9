package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
)

// ---------------------------------------------------------------------------------------------
// 2. GET /v2/mijn/inburgeringstermijn, /v2/mijn/lening, /v2/mijn/pip
// ---------------------------------------------------------------------------------------------

// The figures below are worked out by hand from ../shared/domain.md for the seeded personas
// (internal/app/demo.go) on testenv.Now, 29 Nov 2026:
//   - term: Wi2021 starts the day after the first PIP, Wi2013/Wi2007 on the obligation start;
//     end = start + 3 years − 1 day + extensions; dagenResterend = end − today (0 once
//     expired, met or exempted); last safe exam registration = end − (6 + 8) weeks;
//     laatste_jaar from end + 1 day − 1 year.
//   - PIP deadline = notice + 10 weeks, overdue from the day after.
//   - loan: maximum EUR 10,000 unless income-based lower; quarter cap EUR 2,000; ELIP (Wi2013)
//     hoog_gebruik at ≥ EUR 9,500, gebruik_en_korte_termijn at > EUR 7,500 with < 12 months
//     left; Wi2013 repayment from 6 months after the term, for 10 years; asylum permit holders'
//     loans are not recovered since 4 Feb 2025. A non-borrower gets no maximum, balance or quarter.
var personas = []struct {
	key                  string
	termijn, lening, pip string
	berichten            int
}{
	{key: "amal", berichten: 1,
		// Asylum, Wi2021; speaking exempted (partial exemption), the rest stays; the PIP came 20 days late. Notice today−21m = 2025-02-28 (29 Feb does not exist), PIP today−18m.
		termijn: `{"status":"lopend","regime":"wi2021","startdatum":"2025-05-30","basisEinddatum":"2028-05-29","einddatum":"2028-05-29",
			"verlengingInMaanden":0,"dagenResterend":547,"laatsteVeiligeExamenaanmelddatum":"2028-02-21","verlengingen":[],"vastgesteldDoorGemeente":false,"boetetermijn":false,"boetes":[]}`,
		lening: `{"vanToepassing":false,"leningMogelijk":false,"duoBeslist":false,"betaler":"gemeente","gebruiktInCenten":0,
			"waarschuwingen":[],"wordtTeruggevorderd":false,"facturen":[]}`,
		pip: `{"vastgesteld":true,"kennisgevingsdatum":"2025-02-28","uiterlijkeVaststellingsdatum":"2025-05-09","verlopen":false,"wachtOpDerden":false,"dagenTeLaatVastgesteld":20,"dagenTeLaat":0,
			"verantwoordelijke":"inburgeraar","datum":"2025-05-29","gemeente":"Utrecht","leerroute":"b1","onderdelen":[
			{"soort":"lezen","status":"behaald","urenBehaald":0,"urenVereist":0},{"soort":"luisteren","status":"behaald","urenBehaald":0,"urenVereist":0},
			{"soort":"schrijven","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"spreken","status":"ontheffing","urenBehaald":0,"urenVereist":0},
			{"soort":"knm","status":"bezig","urenBehaald":0,"urenVereist":0},{"soort":"map","status":"open","urenBehaald":0,"urenVereist":0},
			{"soort":"pvt","status":"behaald","urenBehaald":12,"urenVereist":12}]}`},
	{key: "dawit",
		// Family migrant, Wi2021, income-based maximum EUR 6,500; EUR 3,400 in three invoices from
		// today−8m every 3 months plus EUR 450 on the first day of this quarter.
		termijn: `{"status":"lopend","regime":"wi2021","startdatum":"2026-03-01","basisEinddatum":"2029-02-28","einddatum":"2029-02-28",
			"verlengingInMaanden":0,"dagenResterend":822,"laatsteVeiligeExamenaanmelddatum":"2028-11-22","verlengingen":[],"vastgesteldDoorGemeente":false,"boetetermijn":false,"boetes":[]}`,
		lening: `{"vanToepassing":true,"leningMogelijk":true,"duoBeslist":true,"betaler":"loan","maximumInCenten":650000,"gebruiktInCenten":385000,"saldoInCenten":265000,
			"kwartaal":{"startdatum":"2026-10-01","gebruiktInCenten":45000,"plafondInCenten":200000,"resterendInCenten":155000},
			"waarschuwingen":[],"wordtTeruggevorderd":true,"facturen":[
			{"school":"Taalhuis Eemland","bedragInCenten":45000,"betaaldatum":"2026-10-01"},
			{"school":"Taalhuis Eemland","bedragInCenten":100000,"betaaldatum":"2026-09-29"},
			{"school":"Taalhuis Eemland","bedragInCenten":120000,"betaaldatum":"2026-06-29"},
			{"school":"Taalhuis Eemland","bedragInCenten":120000,"betaaldatum":"2026-03-29"}]}`,
		pip: `{"vastgesteld":true,"kennisgevingsdatum":"2026-01-09","uiterlijkeVaststellingsdatum":"2026-03-20","verlopen":false,"wachtOpDerden":false,"dagenTeLaatVastgesteld":0,"dagenTeLaat":0,
			"verantwoordelijke":"inburgeraar","datum":"2026-02-28","gemeente":"Amersfoort","leerroute":"z_route","onderdelen":[
			{"soort":"cursusuren","status":"bezig","urenBehaald":310,"urenVereist":800},{"soort":"map","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"pvt","status":"open","urenBehaald":0,"urenVereist":12}]}`},
	{key: "samira",
		// Self-paying family migrant without a PIP: notice today−14w = 2026-08-23, deadline
		// 2026-11-01, 28 days overdue, the gemeente must act.
		termijn: `{"status":"niet_gestart","regime":"wi2021","verlengingInMaanden":0,"dagenResterend":0,"verlengingen":[],"vastgesteldDoorGemeente":false,"boetetermijn":false,"boetes":[]}`,
		lening: `{"vanToepassing":false,"leningMogelijk":false,"duoBeslist":false,"betaler":"self","gebruiktInCenten":0,
			"waarschuwingen":[],"wordtTeruggevorderd":true,"facturen":[]}`,
		pip: `{"vastgesteld":false,"kennisgevingsdatum":"2026-08-23","uiterlijkeVaststellingsdatum":"2026-11-01","verlopen":true,"wachtOpDerden":false,"dagenTeLaatVastgesteld":0,"dagenTeLaat":28,
			"verantwoordelijke":"gemeente","onderdelen":[]}`},
	{key: "yusuf",
		// Wi2013 from 2021-10-01, extended 24 months for literacy (the maximum) and 24 for illness
		// (fixed decisions, not grown with the clock): ends 2028-09-30; EUR 9,650 used: hoog_gebruik.
		termijn: `{"status":"lopend","regime":"wi2013","startdatum":"2021-10-01","basisEinddatum":"2024-09-30","einddatum":"2028-09-30",
			"verlengingInMaanden":48,"dagenResterend":671,"laatsteVeiligeExamenaanmelddatum":"2028-06-24",
			"verlengingen":[{"grond":"alfabetisering","maanden":24,"besluitdatum":"2024-08-15","kenmerk":"VL-2024-0193"},
			{"grond":"ziekte","maanden":24,"besluitdatum":"2026-06-02","kenmerk":"VL-2026-0311"}],"vastgesteldDoorGemeente":false,"boetetermijn":false,"boetes":[]}`,
		lening: `{"vanToepassing":true,"leningMogelijk":true,"duoBeslist":false,"aflossingPerMaandInCenten":8042,"betaler":"loan","maximumInCenten":1000000,"gebruiktInCenten":965000,"saldoInCenten":35000,
			"kwartaal":{"startdatum":"2026-10-01","gebruiktInCenten":0,"plafondInCenten":200000,"resterendInCenten":35000},
			"waarschuwingen":["hoog_gebruik"],"aflossingStartdatum":"2029-04-01","aflossingEinddatum":"2039-03-31","wordtTeruggevorderd":true,"facturen":[
			{"school":"Taalcentrum Rijnmond","bedragInCenten":185000,"betaaldatum":"2023-01-10"},
			{"school":"Taalcentrum Rijnmond","bedragInCenten":195000,"betaaldatum":"2022-10-10"},
			{"school":"Taalcentrum Rijnmond","bedragInCenten":195000,"betaaldatum":"2022-07-10"},
			{"school":"Taalcentrum Rijnmond","bedragInCenten":195000,"betaaldatum":"2022-04-10"},
			{"school":"Taalcentrum Rijnmond","bedragInCenten":195000,"betaaldatum":"2022-01-10"}]}`,
		pip: `{"vastgesteld":false,"verlopen":false,"wachtOpDerden":false,"dagenTeLaatVastgesteld":0,"dagenTeLaat":0,"verantwoordelijke":"inburgeraar","onderdelen":[]}`},
	{key: "olena", berichten: 1, // the confirmation of her seeded appointment (issue 11)
		// Wi2013, extended 24 months for literacy (the maximum) and 10 for personal circumstances to 2027-07-31 (in the last year); EUR 7,600 used with less
		// than 12 months left: gebruik_en_korte_termijn.
		termijn: `{"status":"laatste_jaar","regime":"wi2013","startdatum":"2021-10-01","basisEinddatum":"2024-09-30","einddatum":"2027-07-31",
			"verlengingInMaanden":34,"dagenResterend":244,"laatsteVeiligeExamenaanmelddatum":"2027-04-24",
			"verlengingen":[{"grond":"alfabetisering","maanden":24,"besluitdatum":"2024-07-01","kenmerk":"VL-2024-0088"},
			{"grond":"persoonlijke_omstandigheden","maanden":10,"besluitdatum":"2026-08-03","kenmerk":"VL-2025-0412"}],"vastgesteldDoorGemeente":false,"boetetermijn":false,"boetes":[]}`,
		lening: `{"vanToepassing":true,"leningMogelijk":true,"duoBeslist":false,"aflossingPerMaandInCenten":6334,"betaler":"loan","maximumInCenten":1000000,"gebruiktInCenten":760000,"saldoInCenten":240000,
			"kwartaal":{"startdatum":"2026-10-01","gebruiktInCenten":0,"plafondInCenten":200000,"resterendInCenten":200000},
			"waarschuwingen":["gebruik_en_korte_termijn"],"aflossingStartdatum":"2028-02-01","aflossingEinddatum":"2038-01-31","wordtTeruggevorderd":true,"facturen":[
			{"school":"Taalschool De Brug","bedragInCenten":190000,"betaaldatum":"2022-11-01"},
			{"school":"Taalschool De Brug","bedragInCenten":190000,"betaaldatum":"2022-08-01"},
			{"school":"Taalschool De Brug","bedragInCenten":190000,"betaaldatum":"2022-05-01"},
			{"school":"Taalschool De Brug","bedragInCenten":190000,"betaaldatum":"2022-02-01"}]}`,
		pip: `{"vastgesteld":false,"verlopen":false,"wachtOpDerden":false,"dagenTeLaatVastgesteld":0,"dagenTeLaat":0,"verantwoordelijke":"inburgeraar","onderdelen":[]}`},
	{key: "kidane", berichten: 1,
		// Wi2013 from 2021-12-20, 24 months ex officio (childcare-benefit affair): 20 days left.
		termijn: `{"status":"laatste_jaar","regime":"wi2013","startdatum":"2021-12-20","basisEinddatum":"2024-12-19","einddatum":"2026-12-19",
			"verlengingInMaanden":24,"dagenResterend":20,"laatsteVeiligeExamenaanmelddatum":"2026-09-12",
			"verlengingen":[{"grond":"hersteloperatie_toeslagen","maanden":24,"besluitdatum":"2024-06-03","kenmerk":"HT-2024-0077"}],"vastgesteldDoorGemeente":false,"boetetermijn":false,"boetes":[]}`,
		lening: `{"vanToepassing":true,"leningMogelijk":true,"duoBeslist":false,"aflossingPerMaandInCenten":3500,"betaler":"loan","maximumInCenten":1000000,"gebruiktInCenten":420000,"saldoInCenten":580000,
			"kwartaal":{"startdatum":"2026-10-01","gebruiktInCenten":0,"plafondInCenten":200000,"resterendInCenten":200000},
			"waarschuwingen":[],"aflossingStartdatum":"2027-06-20","aflossingEinddatum":"2037-06-19","wordtTeruggevorderd":true,"facturen":[
			{"school":"ROC Amsterdam","bedragInCenten":140000,"betaaldatum":"2022-09-01"},
			{"school":"ROC Amsterdam","bedragInCenten":140000,"betaaldatum":"2022-06-01"},
			{"school":"ROC Amsterdam","bedragInCenten":140000,"betaaldatum":"2022-03-01"}]}`,
		pip: `{"vastgesteld":false,"verlopen":false,"wachtOpDerden":false,"dagenTeLaatVastgesteld":0,"dagenTeLaat":0,"verantwoordelijke":"inburgeraar","onderdelen":[]}`},
	{key: "ahmad", berichten: 2,
		// Wi2013 from 2019-04-15, never extended: expired 1,690 days ago. Over EUR 7,500 is not
		// reached, so no ELIP warning. Fine by the Wi2013 table: 180 keurmerk hours, every part
		// attempted once: EUR 625, above EUR 340 so a hearing is offered. No more borrowing.
		termijn: `{"status":"verlopen","regime":"wi2013","startdatum":"2019-04-15","basisEinddatum":"2022-04-14","einddatum":"2022-04-14",
			"verlengingInMaanden":0,"dagenResterend":0,"laatsteVeiligeExamenaanmelddatum":"2022-01-06","verlengingen":[],"vastgesteldDoorGemeente":false,"boetetermijn":false,"boetes":[],"boete":{"bedragInCenten":62500,"isMaximum":false,"alleenInUitzonderingsgevallen":false,"hoorzittingAangeboden":true}}`,
		lening: `{"vanToepassing":true,"leningMogelijk":false,"duoBeslist":false,"aflossingPerMaandInCenten":4250,"betaler":"loan","maximumInCenten":1000000,"gebruiktInCenten":510000,"saldoInCenten":490000,
			"kwartaal":{"startdatum":"2026-10-01","gebruiktInCenten":0,"plafondInCenten":200000,"resterendInCenten":200000},
			"waarschuwingen":[],"aflossingStartdatum":"2022-10-15","aflossingEinddatum":"2032-10-14","wordtTeruggevorderd":true,"facturen":[
			{"school":"Taalinstituut Noord","bedragInCenten":170000,"betaaldatum":"2019-12-01"},
			{"school":"Taalinstituut Noord","bedragInCenten":170000,"betaaldatum":"2019-09-01"},
			{"school":"Taalinstituut Noord","bedragInCenten":170000,"betaaldatum":"2019-06-01"}]}`,
		pip: `{"vastgesteld":false,"verlopen":false,"wachtOpDerden":false,"dagenTeLaatVastgesteld":0,"dagenTeLaat":0,"verantwoordelijke":"inburgeraar","onderdelen":[]}`},
	{key: "goran",
		// Wi2007 (obligation 2011-05-01), the gemeente pays and directs; the term is the 5 years the
		// gemeente set (its date, not computed), long over.
		termijn: `{"status":"verlopen","regime":"wi2007","startdatum":"2011-05-01","basisEinddatum":"2016-04-30","einddatum":"2016-04-30",
			"verlengingInMaanden":0,"dagenResterend":0,"laatsteVeiligeExamenaanmelddatum":"2016-01-23","verlengingen":[],"vastgesteldDoorGemeente":true,"boetetermijn":false,"boetes":[]}`,
		lening: `{"vanToepassing":false,"leningMogelijk":false,"duoBeslist":false,"betaler":"gemeente","gebruiktInCenten":0,
			"waarschuwingen":[],"wordtTeruggevorderd":true,"facturen":[]}`,
		pip: `{"vastgesteld":false,"verlopen":false,"wachtOpDerden":false,"dagenTeLaatVastgesteld":0,"dagenTeLaat":0,"verantwoordelijke":"gemeente","onderdelen":[]}`},
	{key: "lina",
		// Asylum, Wi2021, obligation met two months ago.
		termijn: `{"status":"voldaan","regime":"wi2021","startdatum":"2024-05-30","basisEinddatum":"2027-05-29","einddatum":"2027-05-29",
			"verlengingInMaanden":0,"dagenResterend":0,"laatsteVeiligeExamenaanmelddatum":"2027-02-20","verlengingen":[],"vastgesteldDoorGemeente":false,"boetetermijn":false,"boetes":[]}`,
		lening: `{"vanToepassing":false,"leningMogelijk":false,"duoBeslist":false,"betaler":"gemeente","gebruiktInCenten":0,
			"waarschuwingen":[],"wordtTeruggevorderd":false,"facturen":[]}`,
		pip: `{"vastgesteld":true,"kennisgevingsdatum":"2024-03-29","uiterlijkeVaststellingsdatum":"2024-06-07","verlopen":false,"wachtOpDerden":false,"dagenTeLaatVastgesteld":0,"dagenTeLaat":0,
			"verantwoordelijke":"inburgeraar","datum":"2024-05-29","gemeente":"Zwolle","leerroute":"b1","onderdelen":[
			{"soort":"lezen","status":"behaald","urenBehaald":0,"urenVereist":0},{"soort":"luisteren","status":"behaald","urenBehaald":0,"urenVereist":0},
			{"soort":"schrijven","status":"behaald","urenBehaald":0,"urenVereist":0},{"soort":"spreken","status":"behaald","urenBehaald":0,"urenVereist":0},
			{"soort":"knm","status":"behaald","urenBehaald":0,"urenVereist":0},{"soort":"map","status":"behaald","urenBehaald":0,"urenVereist":0},
			{"soort":"pvt","status":"behaald","urenBehaald":14,"urenVereist":12}]}`},
	{key: "farah",
		// Asylum, Wi2021, Z-route (with the MAP), exempted a month ago: no part is open any more.
		termijn: `{"status":"ontheffing","regime":"wi2021","startdatum":"2025-09-30","basisEinddatum":"2028-09-29","einddatum":"2028-09-29",
			"verlengingInMaanden":0,"dagenResterend":0,"laatsteVeiligeExamenaanmelddatum":"2028-06-23","verlengingen":[],"vastgesteldDoorGemeente":false,"boetetermijn":false,"boetes":[]}`,
		lening: `{"vanToepassing":false,"leningMogelijk":false,"duoBeslist":false,"betaler":"gemeente","gebruiktInCenten":0,
			"waarschuwingen":[],"wordtTeruggevorderd":false,"facturen":[]}`,
		pip: `{"vastgesteld":true,"kennisgevingsdatum":"2025-07-29","uiterlijkeVaststellingsdatum":"2025-10-07","verlopen":false,"wachtOpDerden":false,"dagenTeLaatVastgesteld":0,"dagenTeLaat":0,
			"verantwoordelijke":"inburgeraar","datum":"2025-09-29","gemeente":"Den Haag","leerroute":"z_route","onderdelen":[
			{"soort":"cursusuren","status":"ontheffing","urenBehaald":0,"urenVereist":800},{"soort":"participatieuren","status":"ontheffing","urenBehaald":0,"urenVereist":800},
			{"soort":"map","status":"ontheffing","urenBehaald":0,"urenVereist":0},{"soort":"pvt","status":"ontheffing","urenBehaald":0,"urenVereist":12}]}`},
	{key: "mariam",
		// Wi2021, PIP ten months ago; a medical request waits for the treating doctor.
		termijn: `{"basisEinddatum":"2029-01-29","boetes":[],"boetetermijn":false,"dagenResterend":792,"einddatum":"2029-01-29","laatsteVeiligeExamenaanmelddatum":"2028-10-23","regime":"wi2021","startdatum":"2026-01-30","status":"lopend","vastgesteldDoorGemeente":false,"verlengingInMaanden":0,"verlengingen":[]}`,
		lening:  `{"betaler":"loan","duoBeslist":false,"facturen":[],"gebruiktInCenten":0,"kwartaal":{"gebruiktInCenten":0,"plafondInCenten":200000,"resterendInCenten":200000,"startdatum":"2026-10-01"},"leningMogelijk":true,"maximumInCenten":1000000,"saldoInCenten":1000000,"vanToepassing":true,"waarschuwingen":[],"wordtTeruggevorderd":true}`,
		pip:     `{"dagenTeLaat":0,"dagenTeLaatVastgesteld":0,"datum":"2026-01-29","gemeente":"Tilburg","kennisgevingsdatum":"2025-11-29","leerroute":"b1","onderdelen":[{"soort":"lezen","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"luisteren","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"schrijven","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"spreken","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"knm","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"map","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"pvt","status":"open","urenBehaald":0,"urenVereist":12}],"uiterlijkeVaststellingsdatum":"2026-02-07","vastgesteld":true,"verantwoordelijke":"inburgeraar","verlopen":false,"wachtOpDerden":false}`},
	{key: "hamid", berichten: 1,
		// Wi2021, pays himself; the medical advice is ready, no choice yet (one message).
		termijn: `{"basisEinddatum":"2028-09-29","boetes":[],"boetetermijn":false,"dagenResterend":670,"einddatum":"2028-09-29","laatsteVeiligeExamenaanmelddatum":"2028-06-23","regime":"wi2021","startdatum":"2025-09-30","status":"lopend","vastgesteldDoorGemeente":false,"verlengingInMaanden":0,"verlengingen":[]}`,
		lening:  `{"betaler":"self","duoBeslist":false,"facturen":[],"gebruiktInCenten":0,"leningMogelijk":false,"vanToepassing":false,"waarschuwingen":[],"wordtTeruggevorderd":true}`,
		pip:     `{"dagenTeLaat":0,"dagenTeLaatVastgesteld":0,"datum":"2025-09-29","gemeente":"Arnhem","kennisgevingsdatum":"2025-07-29","leerroute":"b1","onderdelen":[{"soort":"lezen","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"luisteren","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"schrijven","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"spreken","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"knm","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"map","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"pvt","status":"open","urenBehaald":0,"urenVereist":12}],"uiterlijkeVaststellingsdatum":"2025-10-07","vastgesteld":true,"verantwoordelijke":"inburgeraar","verlopen":false,"wachtOpDerden":false}`},
	{key: "selam", berichten: 1,
		// Asylum, Wi2021; the medical advice is blocked (one message).
		termijn: `{"basisEinddatum":"2028-11-29","boetes":[],"boetetermijn":false,"dagenResterend":731,"einddatum":"2028-11-29","laatsteVeiligeExamenaanmelddatum":"2028-08-23","regime":"wi2021","startdatum":"2025-11-30","status":"lopend","vastgesteldDoorGemeente":false,"verlengingInMaanden":0,"verlengingen":[]}`,
		lening:  `{"betaler":"gemeente","duoBeslist":false,"facturen":[],"gebruiktInCenten":0,"leningMogelijk":false,"vanToepassing":false,"waarschuwingen":[],"wordtTeruggevorderd":false}`,
		pip:     `{"dagenTeLaat":0,"dagenTeLaatVastgesteld":0,"datum":"2025-11-29","gemeente":"Groningen","kennisgevingsdatum":"2025-09-29","leerroute":"b1","onderdelen":[{"soort":"lezen","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"luisteren","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"schrijven","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"spreken","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"knm","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"map","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"pvt","status":"open","urenBehaald":0,"urenVereist":12}],"uiterlijkeVaststellingsdatum":"2025-12-08","vastgesteld":true,"verantwoordelijke":"inburgeraar","verlopen":false,"wachtOpDerden":false}`},
	{key: "hodan", berichten: 2,
		// Wi2021; the medical request was decided with a 6-month extension for illness, which moves the term (two messages).
		termijn: `{"basisEinddatum":"2028-03-29","boetes":[],"boetetermijn":false,"dagenResterend":670,"einddatum":"2028-09-29","laatsteVeiligeExamenaanmelddatum":"2028-06-23","regime":"wi2021","startdatum":"2025-03-30","status":"lopend","vastgesteldDoorGemeente":false,"verlengingInMaanden":6,"verlengingen":[{"besluitdatum":"2026-11-22","grond":"ziekte","kenmerk":"MA-DEMO-0004","maanden":6}]}`,
		lening:  `{"betaler":"loan","duoBeslist":false,"facturen":[],"gebruiktInCenten":0,"kwartaal":{"gebruiktInCenten":0,"plafondInCenten":200000,"resterendInCenten":200000,"startdatum":"2026-10-01"},"leningMogelijk":true,"maximumInCenten":1000000,"saldoInCenten":1000000,"vanToepassing":true,"waarschuwingen":[],"wordtTeruggevorderd":true}`,
		pip:     `{"dagenTeLaat":0,"dagenTeLaatVastgesteld":0,"datum":"2025-03-29","gemeente":"Eindhoven","kennisgevingsdatum":"2025-01-29","leerroute":"b1","onderdelen":[{"soort":"lezen","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"luisteren","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"schrijven","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"spreken","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"knm","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"map","status":"open","urenBehaald":0,"urenVereist":0},{"soort":"pvt","status":"open","urenBehaald":0,"urenVereist":12}],"uiterlijkeVaststellingsdatum":"2025-04-09","vastgesteld":true,"verantwoordelijke":"inburgeraar","verlopen":false,"wachtOpDerden":false}`},
}

func TestMijnFigures(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{})
	seeded, err := c.a.Service.Personas(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(personas), len(seeded); got != want {
		t.Errorf("the table covers %d personas, the seed has %d", got, want)
	}
	for _, p := range personas {
		t.Run(p.key, func(t *testing.T) {
			tok := c.token(p.key)
			_, termijn := c.get(tok, "/v2/mijn/inburgeringstermijn", http.StatusOK)
			_, lening := c.get(tok, "/v2/mijn/lening", http.StatusOK)
			_, pip := c.get(tok, "/v2/mijn/pip", http.StatusOK)
			jsonEqual(t, "inburgeringstermijn", termijn, p.termijn)
			jsonEqual(t, "lening", lening, p.lening)
			jsonEqual(t, "pip", pip, p.pip)

			// The API shows what the use case computes: the same source as the portal.
			ctx := context.Background()
			person, err := c.a.Service.PersonaLogin(ctx, p.key)
			if err != nil {
				t.Fatal(err)
			}
			o, err := c.a.Service.Overview(ctx, person.ID)
			if err != nil {
				t.Fatal(err)
			}
			sameAsOverview(t, o, termijn, lening, pip)
			if o.Unread != p.berichten {
				t.Errorf("unread %d, want %d", o.Unread, p.berichten)
			}
			_, list := c.get(tok, "/v2/mijn/berichten", http.StatusOK)
			var l api.BerichtenLijst
			mustJSON(t, list, &l)
			if len(l.Berichten) != p.berichten {
				t.Errorf("%d berichten, want %d", len(l.Berichten), p.berichten)
			}
		})
	}
}

func dateString(d *domain.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// join renders values as one comparable string.
func join(vals ...any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = fmt.Sprintf("%v", v)
	}
	return strings.Join(parts, "|")
}

func apiDate(d openapi_types.Date) string { return d.String() }

func ds(d *openapi_types.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// sameAsOverview compares every figure the three resources show with the use case's overview.
func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func sameAsOverview(t *testing.T, o app.Overview, termijnJSON, leningJSON, pipJSON string) {
	t.Helper()
	var term api.Inburgeringstermijn
	var loan api.Lening
	var pip api.Pip
	mustJSON(t, termijnJSON, &term)
	mustJSON(t, leningJSON, &loan)
	mustJSON(t, pipJSON, &pip)
	eq := func(what string, got, want any) {
		t.Helper()
		if fmt.Sprintf("%v", got) != fmt.Sprintf("%v", want) {
			t.Errorf("%s: API %v, use case %v", what, got, want)
		}
	}

	tm := o.Term
	eq("status", term.Status, tm.State)
	eq("regime", term.Regime, o.Regime)
	eq("startdatum", ds(term.Startdatum), dateString(tm.Start))
	eq("basisEinddatum", ds(term.BasisEinddatum), dateString(tm.BaseEnd))
	eq("einddatum", ds(term.Einddatum), dateString(tm.End))
	eq("laatsteVeiligeExamenaanmelddatum", ds(term.LaatsteVeiligeExamenaanmelddatum), dateString(tm.LastSafeExamRegistration))
	eq("verlengingInMaanden", term.VerlengingInMaanden, tm.ExtensionMonths)
	eq("dagenResterend", term.DagenResterend, tm.DaysLeft)
	eq("verlengingen", len(term.Verlengingen), len(o.Extensions))
	for i, e := range o.Extensions {
		if i < len(term.Verlengingen) {
			v := term.Verlengingen[i]
			eq("verlenging", join(v.Grond, v.Maanden, apiDate(v.Besluitdatum), v.Kenmerk), join(e.Ground, e.Months, e.DecisionDate, e.Reference))
		}
	}

	l := o.Loan
	eq("vanToepassing", loan.VanToepassing, l.Applies)
	eq("betaler", loan.Betaler, o.Person.Payer)
	eq("gebruiktInCenten", loan.GebruiktInCenten, l.Used)
	if l.Applies {
		eq("maximumInCenten", deref(loan.MaximumInCenten), l.Maximum)
		eq("saldoInCenten", deref(loan.SaldoInCenten), l.Balance)
		if loan.Kwartaal == nil {
			t.Error("kwartaal absent for a borrower")
		} else {
			eq("kwartaal", join(apiDate(loan.Kwartaal.Startdatum), loan.Kwartaal.GebruiktInCenten, loan.Kwartaal.PlafondInCenten, loan.Kwartaal.ResterendInCenten),
				join(l.QuarterStart, l.QuarterUsed, l.QuarterCap, l.QuarterLeft))
		}
	} else if loan.MaximumInCenten != nil || loan.SaldoInCenten != nil || loan.Kwartaal != nil {
		// No maximum or balance for someone who does not borrow: betaler says why.
		t.Errorf("non-borrower (%s) gets a maximum, balance or quarter: %v %v %v", loan.Betaler, loan.MaximumInCenten, loan.SaldoInCenten, loan.Kwartaal)
	}
	eq("leningMogelijk", loan.LeningMogelijk, l.BorrowingOpen)
	eq("duoBeslist", loan.DuoBeslist, l.DUODecides)
	eq("aflossingPerMaandInCenten", deref(loan.AflossingPerMaandInCenten), l.MonthlyRepayment)
	eq("kwijtschelding", loan.Kwijtschelding != nil, l.Remission != nil)
	eq("kwijtscheldingMogelijkTot", ds(loan.KwijtscheldingMogelijkTot), dateString(l.RemissionPossibleUntil))
	eq("vastgesteldDoorGemeente", term.VastgesteldDoorGemeente, tm.SetByGemeente)
	eq("boetetermijn", term.Boetetermijn, tm.FineTerm)
	eq("boetes", len(term.Boetes), len(o.Fines))
	if o.Fine != nil && term.Boete != nil {
		eq("boete", join(term.Boete.BedragInCenten, term.Boete.HoorzittingAangeboden, term.Boete.AlleenInUitzonderingsgevallen), join(o.Fine.Amount, o.Fine.HearingOffered, o.Fine.OnlyExceptional))
	} else {
		eq("boete", term.Boete != nil, o.Fine != nil)
	}
	eq("waarschuwingen", join(loan.Waarschuwingen), join(l.Warnings))
	eq("aflossingStartdatum", ds(loan.AflossingStartdatum), dateString(l.RepaymentStart))
	eq("aflossingEinddatum", ds(loan.AflossingEinddatum), dateString(l.RepaymentEnd))
	eq("wordtTeruggevorderd", loan.WordtTeruggevorderd, l.Recovered)
	// The loan lists the invoices DUO paid; open, rejected and accepted ones are in /mijn/facturen.
	paid := slices.DeleteFunc(slices.Clone(o.Invoices), func(inv domain.Invoice) bool { return inv.Status != domain.InvoicePaid })
	eq("facturen", len(loan.Facturen), len(paid))
	var sum int64
	for _, f := range loan.Facturen {
		sum += f.BedragInCenten
	}
	eq("som facturen", sum, l.Used)
	// Newest first in the API; the use case keeps them oldest first.
	for i, inv := range paid {
		j := len(loan.Facturen) - 1 - i
		if j >= 0 {
			f := loan.Facturen[j]
			eq("factuur", join(f.School, f.BedragInCenten, apiDate(f.Betaaldatum)), join(inv.School, inv.Amount, *inv.PaidOn))
		}
	}

	s := o.PIPStatus
	eq("vastgesteld", pip.Vastgesteld, o.PIP != nil)
	eq("kennisgevingsdatum", ds(pip.Kennisgevingsdatum), dateString(s.NoticeDate))
	eq("uiterlijkeVaststellingsdatum", ds(pip.UiterlijkeVaststellingsdatum), dateString(s.Deadline))
	eq("verlopen", pip.Verlopen, s.Overdue)
	eq("dagenTeLaat", pip.DagenTeLaat, s.DaysOverdue)
	eq("dagenTeLaatVastgesteld", pip.DagenTeLaatVastgesteld, s.SetDaysLate)
	eq("wachtOpDerden", pip.WachtOpDerden, s.ThirdParty)
	if o.Regime == domain.Wi2021 {
		eq("verantwoordelijke", pip.Verantwoordelijke, s.Responsible)
	}
	if o.PIP != nil {
		eq("datum", ds(pip.Datum), o.PIP.Date.String())
		eq("gemeente", *pip.Gemeente, o.PIP.Gemeente)
		eq("leerroute", *pip.Leerroute, o.PIP.Route)
		eq("onderdelen", len(pip.Onderdelen), len(o.PIP.Components))
		for i, comp := range o.PIP.Components {
			if i < len(pip.Onderdelen) {
				od := pip.Onderdelen[i]
				eq("onderdeel", join(od.Soort, od.Status, od.UrenBehaald, od.UrenVereist), join(comp.Kind, comp.Status, comp.HoursDone, comp.HoursRequired))
			}
		}
	}
}
