package demo

import (
	"fmt"

	"github.com/looklook/looklook/services/travel/internal/app"
)

// imageHost serves the demo images. It is a placeholder: the web app shows a fallback when an
// image does not load.
const imageHost = "https://images.looklook.dev"

// landlordPeople are the demo landlords, one per business of catalogue().
func landlordPeople() []Person {
	return []Person{
		{Mobile: "13800000001", Nickname: "Lin Wei", Info: "Born by West Lake; hosts guests in the family courtyard."},
		{Mobile: "13800000002", Nickname: "Zhao Min", Info: "Bai-minority host who knows every path around Erhai."},
		{Mobile: "13800000003", Nickname: "Chen Jie", Info: "Restored three Naxi wooden houses in Lijiang."},
		{Mobile: "13800000004", Nickname: "Huang Li", Info: "Former river guide, now a farmer and host in Yangshuo."},
		{Mobile: "13800000005", Nickname: "Zhou Ying", Info: "Architect caring for old canal houses in Suzhou."},
		{Mobile: "13800000006", Nickname: "Wu Hao", Info: "Tea grower running bamboo-forest retreats in Moganshan."},
	}
}

// guestPeople are the demo guests.
func guestPeople() []Person {
	return []Person{
		{Mobile: "13900000001", Nickname: "Amy Sun", Info: "Weekend traveller."},
		{Mobile: "13900000002", Nickname: "Leo Ma", Info: "Photographer chasing misty mornings."},
		{Mobile: "13900000003", Nickname: "Grace Xu", Info: "Travels with two kids and a dog."},
		{Mobile: "13900000004", Nickname: "Kevin Guo", Info: "Cyclist."},
		{Mobile: "13900000005", Nickname: "Iris He", Info: "Food first, sights second."},
		{Mobile: "13900000006", Nickname: "Tony Luo", Info: "Remote worker, stays a week or more."},
		{Mobile: "13900000007", Nickname: "Nina Zheng", Info: "Tea lover."},
		{Mobile: "13900000008", Nickname: "Sam Liang", Info: "Hiker."},
		{Mobile: "13900000009", Nickname: "Vivian Tang", Info: "Honeymooner."},
		{Mobile: "13900000010", Nickname: "Eric Feng", Info: "Business traveller on holiday at last."},
	}
}

type businessSpec struct {
	title     string
	info      string
	bossInfo  string
	tags      []string
	homestays []homestaySpec
}

func (b businessSpec) fields(n int) app.BusinessFields {
	return app.BusinessFields{
		Title:          b.title,
		Info:           b.info,
		BossInfo:       b.bossInfo,
		Tags:           b.tags,
		CoverURL:       fmt.Sprintf("%s/businesses/%d-cover.jpg", imageHost, n),
		HeaderImageURL: fmt.Sprintf("%s/businesses/%d-header.jpg", imageHost, n),
		Open:           true,
	}
}

type homestaySpec struct {
	title      string
	subtitle   string
	info       string
	people     int32
	perPerson  bool
	priceCents int64
	breakfast  bool
	quality    int32 // typical star of its comments
}

func (h homestaySpec) fields(n int) app.HomestayFields {
	f := app.HomestayFields{
		Title:            h.title,
		Subtitle:         h.subtitle,
		BannerURLs:       []string{fmt.Sprintf("%s/homestays/%d.jpg", imageHost, n), fmt.Sprintf("%s/homestays/%d-2.jpg", imageHost, n), fmt.Sprintf("%s/homestays/%d-3.jpg", imageHost, n)},
		Info:             h.info,
		PeopleCount:      h.people,
		SaleType:         app.SaleTypePerRoom,
		PriceCents:       h.priceCents,
		MarketPriceCents: (h.priceCents*5/4 + 99) / 100 * 100,
	}
	if h.perPerson {
		f.SaleType = app.SaleTypePerPerson
	}
	if h.breakfast {
		f.FoodInfo = "Home-style breakfast: congee, steamed buns, seasonal fruit and local tea."
		f.FoodPriceCents = 3800
	}
	return f
}

// catalogue is the demo businesses and their homestays.
func catalogue() []businessSpec {
	return []businessSpec{
		{
			title:    "West Lake Courtyard Stays",
			info:     "Family-run courtyard homes a short walk from West Lake, with tea from our own terraces.",
			bossInfo: "Lin Wei grew up between the lake and the Longjing tea hills and still picks tea every spring.",
			tags:     []string{"lake view", "tea", "family run"},
			homestays: []homestaySpec{
				{title: "Courtyard House by West Lake", subtitle: "Quiet courtyard, five minutes to the lake", info: "A restored 1930s courtyard house with a plum tree, two bedrooms and a tea room.", people: 4, priceCents: 68800, breakfast: true, quality: 5},
				{title: "Longjing Tea Garden Cottage", subtitle: "Wake up among the tea terraces", info: "A stone cottage inside a working tea garden; tea tasting included.", people: 2, priceCents: 45800, breakfast: true, quality: 4},
				{title: "Lakeside Loft near Broken Bridge", subtitle: "Sunset over the Bai Causeway", info: "A bright loft with a balcony facing the lake and bicycles to borrow.", people: 2, priceCents: 52800, quality: 4},
				{title: "Hefang Street Family Suite", subtitle: "Old-town suite for the whole family", info: "Three rooms above a traditional pharmacy, steps from the night market.", people: 6, priceCents: 88800, quality: 3},
			},
		},
		{
			title:    "Erhai Breeze Inns",
			info:     "Whitewashed Bai houses on the shore of Erhai Lake, under the Cangshan mountains.",
			bossInfo: "Zhao Min's family has lived in Xizhou for six generations; she cooks Bai dishes for guests.",
			tags:     []string{"lake view", "mountains", "local food"},
			homestays: []homestaySpec{
				{title: "Erhai Lakeview Room", subtitle: "Floor-to-ceiling windows on the lake", info: "A double room with a private terrace right on the water.", people: 2, priceCents: 39800, breakfast: true, quality: 5},
				{title: "Cangshan Mountain Studio", subtitle: "Hiking trails from the door", info: "A studio at the foot of Cangshan with a fireplace and a reading nook.", people: 2, priceCents: 32800, quality: 4},
				{title: "Old Town Stone House", subtitle: "Inside Dali's ancient walls", info: "A two-storey stone house on a quiet lane of the old town.", people: 4, priceCents: 49800, quality: 4},
				{title: "Xizhou Bai Courtyard", subtitle: "Carved gates and a courtyard garden", info: "A traditional three-sided courtyard with four rooms around a garden.", people: 8, priceCents: 128800, breakfast: true, quality: 5},
			},
		},
		{
			title:    "Old Town Lijiang Lodges",
			info:     "Naxi wooden houses by the canals of Lijiang and the quieter village of Shuhe.",
			bossInfo: "Chen Jie restored these houses with Naxi carpenters and loves talking about Dongba script.",
			tags:     []string{"heritage", "snow mountain", "old town"},
			homestays: []homestaySpec{
				{title: "Naxi Wooden Inn", subtitle: "Carved wood and a canal outside", info: "Rooms of dark carved wood around a flower courtyard.", people: 2, priceCents: 29800, quality: 4},
				{title: "Jade Dragon Snow View Suite", subtitle: "The snow mountain from your bed", info: "A top-floor suite with a skylight and a view of Jade Dragon Snow Mountain.", people: 3, priceCents: 58800, breakfast: true, quality: 5},
				{title: "Shuhe Stream Courtyard", subtitle: "A stream runs through the garden", info: "A peaceful courtyard in Shuhe village, away from the crowds.", people: 4, priceCents: 42800, quality: 3},
				{title: "Lion Hill Rooftop Room", subtitle: "Rooftops of the old town at dusk", info: "A small room with a large roof terrace looking over Lijiang.", people: 2, priceCents: 26800, quality: 3},
			},
		},
		{
			title:    "Yangshuo Karst View Homes",
			info:     "Farmhouses among the karst peaks and rice fields of the Li and Yulong rivers.",
			bossInfo: "Huang Li spent ten years guiding bamboo rafts before opening his family farm to guests.",
			tags:     []string{"karst peaks", "river", "cycling"},
			homestays: []homestaySpec{
				{title: "Li River Bamboo Raft House", subtitle: "Raft trip included, priced per guest", info: "A riverside house whose stay includes a morning bamboo-raft trip for each guest.", people: 6, perPerson: true, priceCents: 18800, breakfast: true, quality: 5},
				{title: "Moon Hill Farm Stay", subtitle: "Rice fields and a view of Moon Hill", info: "A farmhouse with organic meals from the fields around it.", people: 4, priceCents: 35800, breakfast: true, quality: 4},
				{title: "Yulong River Cottage", subtitle: "Bicycles and a quiet river", info: "A cottage on the Yulong River with bicycles for the village roads.", people: 2, priceCents: 28800, quality: 4},
				{title: "West Street Loft", subtitle: "In the heart of Yangshuo town", info: "A loft above West Street, close to the restaurants and the night life.", people: 2, priceCents: 23800, quality: 3},
			},
		},
		{
			title:    "Suzhou Canal Houses",
			info:     "Ming and Qing dynasty houses on the canals of Suzhou and Tongli water town.",
			bossInfo: "Zhou Ying is an architect who restores canal houses with their original timber and tiles.",
			tags:     []string{"canals", "gardens", "heritage"},
			homestays: []homestaySpec{
				{title: "Canal-side Ming House", subtitle: "Boats glide past the window", info: "A Ming-era house whose back door opens onto the canal.", people: 4, priceCents: 79800, breakfast: true, quality: 5},
				{title: "Pingjiang Road Garden Room", subtitle: "A private garden on Pingjiang Road", info: "A room opening onto a small classical garden with a pond.", people: 2, priceCents: 46800, quality: 4},
				{title: "Tongli Water Town Suite", subtitle: "Stone bridges and morning markets", info: "A suite in Tongli with three stone bridges in sight.", people: 3, priceCents: 41800, quality: 4},
				{title: "Humble Administrator Courtyard Loft", subtitle: "Next to the famous garden", info: "A loft a minute from the Humble Administrator's Garden. Opening soon.", people: 2, priceCents: 55800, quality: 4},
			},
		},
		{
			title:    "Moganshan Bamboo Retreats",
			info:     "Villas and cabins in the bamboo forests and tea hills of Moganshan.",
			bossInfo: "Wu Hao grows white tea on the hills and runs the retreats with his sister.",
			tags:     []string{"bamboo forest", "hot spring", "retreat"},
			homestays: []homestaySpec{
				{title: "Bamboo Forest Villa", subtitle: "A private villa in the bamboo sea", info: "A four-bedroom villa with a pool, surrounded by bamboo.", people: 8, priceCents: 168800, breakfast: true, quality: 5},
				{title: "Misty Valley Treehouse", subtitle: "Sleep among the treetops", info: "A cedar treehouse over a misty valley, reached by a rope bridge.", people: 2, priceCents: 62800, quality: 5},
				{title: "Hot Spring Tea Lodge", subtitle: "Private hot spring tub", info: "A lodge with its own hot-spring tub and a tea terrace.", people: 2, priceCents: 72800, breakfast: true, quality: 4},
				{title: "Old Villa with Mountain Terrace", subtitle: "A 1920s summer villa", info: "A stone villa from the 1920s with a terrace over the hills. Being renovated.", people: 6, priceCents: 98800, quality: 4},
			},
		},
	}
}

// commentTexts returns comment texts by star (index star-1).
func commentTexts() [5][]string {
	return [5][]string{
		{
			"Not what the photos showed; the room was damp and noisy.",
			"Disappointing stay, the host never answered our messages.",
		},
		{
			"Nice location, but the room needed cleaning and the bed was hard.",
			"Beautiful house, poor upkeep. Hot water ran out every evening.",
		},
		{
			"A decent stay. Good location, basic room.",
			"Fine for a night or two; the breakfast was the highlight.",
			"The view is great but it is a long walk from the bus stop.",
		},
		{
			"Lovely place and a warm host. We would come back.",
			"Very comfortable, spotless and quiet. Great tea in the morning.",
			"Charming old house with modern bathrooms. Recommended.",
		},
		{
			"Perfect! The host showed us hidden spots we would never have found.",
			"The best homestay of our whole trip. Breakfast was amazing.",
			"Stunning views, beautiful rooms and the kindest host.",
			"Magical stay. We woke up to mist over the water every morning.",
		},
	}
}
