// A small on-device gazetteer of well-known PUBLIC entities: works,
// algorithms, products, companies, programming and natural languages,
// historical and famous people, landmarks. Cities and countries are not in
// it: a place is LOCATION (low sensitivity, sent as is in balanced mode), and
// where the user lives or meets someone is theirs to protect. A NER span that is one of these is
// left in the text unless something ties it to the user (see ner-refine.ts):
// "the plot of Hamlet" or "Ada Lovelace's notes" are common knowledge, the
// cloud needs the words to answer. Lowercase, NFKC; "the" is stripped.
const LIST = `
hamlet|macbeth|othello|king lear|romeo and juliet|the odyssey|odyssey|iliad|the iliad|don quixote|war and peace|anna karenina|
pride and prejudice|moby dick|ulysses|the great gatsby|great gatsby|1984|animal farm|frankenstein|dracula|faust|the divine comedy|divine comedy|
inferno|beowulf|the bible|bible|quran|koran|torah|bhagavad gita|mahabharata|ramayana|harry potter|the lord of the rings|lord of the rings|
the hobbit|star wars|star trek|game of thrones|the simpsons|mona lisa|the last supper|guernica|the starry night|starry night|
luhn|luhn algorithm|verhoeff|dijkstra|dijkstra's algorithm|a*|bellman-ford|kruskal|prim|floyd-warshall|fourier|fast fourier transform|
fibonacci|pythagoras|pythagorean theorem|euclid|euler|gauss|bayes|bayes' theorem|markov|turing|turing machine|turing test|
newton|isaac newton|albert einstein|einstein|marie curie|curie|pierre curie|ada lovelace|lovelace|charles babbage|babbage|alan turing|
grace hopper|nikola tesla|thomas edison|edison|galileo|galileo galilei|copernicus|nicolaus copernicus|kepler|johannes kepler|
darwin|charles darwin|mendel|gregor mendel|pasteur|louis pasteur|freud|sigmund freud|marx|karl marx|adam smith|keynes|john maynard keynes|
plato|aristotle|socrates|confucius|buddha|jesus|jesus christ|muhammad|moses|gandhi|mahatma gandhi|nelson mandela|mandela|
martin luther king|martin luther king jr|abraham lincoln|lincoln|george washington|napoleon|napoleon bonaparte|julius caesar|caesar|
cleopatra|alexander the great|genghis khan|queen victoria|winston churchill|churchill|shakespeare|william shakespeare|
tolstoy|leo tolstoy|dostoevsky|goethe|cervantes|dante|homer|jane austen|austen|charles dickens|dickens|mark twain|hemingway|
beethoven|ludwig van beethoven|mozart|wolfgang amadeus mozart|bach|johann sebastian bach|chopin|picasso|pablo picasso|van gogh|
vincent van gogh|leonardo da vinci|da vinci|michelangelo|rembrandt|frida kahlo|stephen hawking|hawking|richard feynman|feynman|
niels bohr|bohr|max planck|planck|schrödinger|schrodinger|heisenberg|dirac|maxwell|james clerk maxwell|faraday|michael faraday|
linus torvalds|tim berners-lee|steve jobs|bill gates|elon musk|jeff bezos|mark zuckerberg|
python|javascript|typescript|java|c++|c#|rust|go|golang|kotlin|swift|ruby|php|perl|haskell|scala|elixir|erlang|clojure|lisp|
fortran|cobol|pascal|matlab|julia|sql|html|css|bash|powershell|lua|dart|r|assembly|webassembly|svelte|react|vue|angular|node.js|
node|deno|django|flask|rails|spring|linux|windows|macos|ios|android|ubuntu|debian|docker|kubernetes|git|github|gitlab|
postgresql|postgres|mysql|sqlite|mongodb|redis|kafka|tensorflow|pytorch|numpy|pandas|excel|word|powerpoint|photoshop|
chatgpt|claude|gemini|llama|bert|gpt|gpt-4|transformer|wikipedia|
google|apple|microsoft|amazon|meta|facebook|instagram|whatsapp|twitter|x|tiktok|youtube|netflix|spotify|uber|airbnb|tesla|
fedex|ups|dhl|usps|ikea|nike|adidas|coca-cola|pepsi|mcdonald's|mcdonalds|starbucks|toyota|honda|bmw|mercedes|volkswagen|
samsung|sony|nintendo|intel|amd|nvidia|ibm|oracle|cisco|siemens|philips|nokia|ericsson|huawei|xiaomi|alibaba|tencent|
visa|mastercard|paypal|stripe|boeing|airbus|unesco|unicef|nato|un|united nations|european union|eu|who|world health organization|
nasa|esa|cern|mit|harvard|oxford|cambridge|stanford|imf|world bank|red cross|greenpeace|olympics|fifa|nba|nfl|
english|french|german|spanish|italian|portuguese|dutch|russian|chinese|mandarin|cantonese|japanese|korean|arabic|hindi|bengali|
urdu|turkish|persian|farsi|swahili|greek|latin|hebrew|polish|swedish|norwegian|danish|finnish|thai|vietnamese|indonesian|esperanto|
eiffel tower|statue of liberty|great wall|great wall of china|taj mahal|colosseum|big ben|stonehenge|machu picchu|mount everest|everest|
amazon river|nile|sahara|pacific|atlantic|antarctica|jupiter|mars|venus|saturn|mercury|the moon|moon|sun|milky way|
berlin wall|french revolution|world war ii|world war i|roman empire|renaissance|
heat pump|pump|photosynthesis|mitochondria|dna|rna|crispr|bitcoin|ethereum|blockchain|covid|covid-19|
`;

export const PUBLIC_ENTITIES: ReadonlySet<string> = new Set(
  LIST.split('|')
    .map((s) => s.trim().normalize('NFKC').toLowerCase())
    .filter(Boolean),
);
