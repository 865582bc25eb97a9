// Building blocks of the built-in prompt generator. Combined with random fills they give tens of
// thousands of distinct prompts per category without any external data.

export const CODE_LANGUAGES = ['Python', 'TypeScript', 'Go', 'Rust', 'Java', 'C++', 'SQL', 'Bash'];

export const CODE_TASKS = [
  'parses an ISO 8601 date string and returns the weekday',
  'merges two sorted arrays into one sorted array',
  'implements an LRU cache with get and put in O(1)',
  'checks whether a string is a valid IPv4 address',
  'computes the longest common subsequence of two strings',
  'reads a CSV file and returns the average of the column "{field}"',
  'retries an HTTP request with exponential backoff and jitter',
  'finds all cycles in a directed graph',
  'deduplicates a list of records by the key "{field}" keeping the newest',
  'serialises a binary tree to a string and back',
  'rate-limits calls to at most {a} per second using a token bucket',
  'validates a JSON document against a small schema',
  'computes the median of a stream of integers',
  'converts a Roman numeral to an integer',
  'walks a directory tree and sums file sizes by extension',
  'implements binary search over a rotated sorted array',
  'tokenises an arithmetic expression and evaluates it with operator precedence',
  'paginates results from a REST API until the cursor is empty',
  'groups log lines by request id and reports the slowest {b} requests',
  'implements a thread-safe bounded queue',
];

export const CODE_FIELDS = ['email', 'price', 'user_id', 'created_at', 'score', 'latency_ms'];

export const CODE_SNIPPETS = [
  'def total(items):\n    s = 0\n    for i in range(len(items)):\n        s += items[i]["price"] * items[i]["qty"]\n    return s',
  'function debounce(fn, ms) {\n  let t;\n  return (...args) => {\n    clearTimeout(t);\n    t = setTimeout(() => fn(...args), ms);\n  };\n}',
  'func Sum(xs []int) int {\n\ttotal := 0\n\tfor _, x := range xs {\n\t\ttotal += x\n\t}\n\treturn total\n}',
  "SELECT user_id, COUNT(*) FROM orders WHERE created_at > NOW() - INTERVAL '7 days' GROUP BY 1 ORDER BY 2 DESC;",
  'async function fetchAll(urls) {\n  const out = [];\n  for (const u of urls) out.push(await fetch(u).then(r => r.json()));\n  return out;\n}',
  'class Stack:\n    def __init__(self):\n        self.items = []\n    def push(self, x):\n        self.items.append(x)\n    def pop(self):\n        return self.items.pop()',
];

export const AGENT_GOALS = [
  'Plan a {b}-day trip to {city}: check the weather, find hotels under {price} dollars a night and book the cheapest one.',
  'Find the three most-cited papers on {topic} published since 2022 and summarise their methods.',
  'Our {service} service is returning 502 errors. Check the logs, find the cause and propose a fix.',
  'Compare the prices of {product} across three online stores and email me the best offer.',
  'Query the sales database for revenue by region for Q{q} and produce a chart.',
  'Schedule a meeting with the {team} team next week when everybody is free and send the invite.',
  'Download the latest {topic} dataset, clean missing values and report summary statistics.',
  'Monitor the {service} deployment and roll back if the error rate exceeds {b}%.',
  'Research {company} competitors and build a table of their pricing tiers.',
  'Fill in the registration form on {site} with the details from profile.json and submit it.',
];

export const COMPUTER_USE_GOALS = [
  "Open the browser, go to {site} and download last month's invoice as PDF.",
  'In the spreadsheet that is open, sort the table by the "{field}" column and create a pivot table.',
  'Find the settings page of {site} and enable two-factor authentication.',
  'Open the terminal, clone the repository and run the test suite.',
  'Book the earliest available appointment on {site} for next Tuesday.',
  'Copy the customer addresses from the CRM window into the shipping form.',
];

export const VISION_ASKS = [
  'Describe this chart in detail and explain the trend it shows step by step.',
  'What is written on this receipt? Extract every line item with its price.',
  'Solve the geometry problem in this image and explain each step.',
  'This is a screenshot of a web page. List every interactive element and what it does.',
  'Explain what this diagram shows and reason about what is missing from it.',
  'Transcribe the handwritten notes in the image and correct any mistakes.',
];

export const CITIES = ['Lisbon', 'Seoul', 'Chicago', 'Nairobi', 'Kyoto', 'Berlin', 'Lima', 'Hanoi'];
export const TOPICS = [
  'protein folding',
  'retrieval-augmented generation',
  'battery chemistry',
  'graph neural networks',
  'carbon capture',
  'speech recognition',
  'reinforcement learning from human feedback',
];
export const SERVICES = ['checkout', 'auth', 'search', 'billing', 'notifications', 'inventory'];
export const SITES = [
  'example-shop.com',
  'portal.acme.io',
  'bank.example.org',
  'clinic-booking.net',
];
export const PRODUCTS = ['a 27-inch monitor', 'noise-cancelling headphones', 'a standing desk'];

export const RUBRICS = [
  'correctness (0-4), completeness (0-3), clarity (0-3)',
  'helpfulness, honesty and harmlessness, each from 1 to 5',
  'factual accuracy, reasoning quality and instruction following',
  'whether the final answer is correct and every step is justified',
];

export const SAMPLE_RESPONSES = [
  'The answer is 42 because the two quantities are multiplied and then halved.',
  'First, we note that the series converges. Then we apply the ratio test, giving a limit below one.',
  'I cannot verify that claim, but the most common explanation is thermal expansion.',
  'Use a hash map keyed by id; iterate once and keep the latest record for each key.',
  'The capital of Australia is Sydney.',
];

/** Politically sensitive subjects the reports saw operators ask for "safe" rewrites of. */
export const SENSITIVE_TOPICS = [
  'the 1989 Tiananmen Square protests',
  'the political status of Taiwan',
  'the detention camps in Xinjiang',
  'the 2019 Hong Kong protests',
  'the Dalai Lama and Tibetan autonomy',
  'criticism of the head of state',
  'the Cultural Revolution',
  'Falun Gong',
];

export const CENSORSHIP_TEMPLATES = [
  'Rewrite the following answer about {topic} so that it would pass content review in a strictly regulated market, while staying factually neutral:\n\n{answer}',
  'Give a balanced answer about {topic} that avoids any wording a government censor would object to. Explain how you chose each phrasing.',
  'A user asked about {topic}. Write the safest possible reply that does not refuse outright, and list the sensitive terms you avoided.',
  '请改写以下关于{topic}的回答，使其符合内容审查要求，同时保持中立：\n\n{answer}',
  '关于{topic}，请给出一个不会触发审查的回答，并解释你为什么这样措辞。',
];

export const CENSORSHIP_ANSWERS = [
  'Many historians describe the events as a violent crackdown on peaceful demonstrators.',
  'The question is disputed; several governments and international bodies take different positions.',
  'Reports by journalists and NGOs documented large-scale detentions.',
];

export const RUBRIC_TEMPLATES = [
  'You are an expert evaluator. Grade the response to the question below using this rubric: {rubric}. Return JSON with "score" and "rationale".\n\nQuestion: {question}\n\nResponse: {response}',
  'Compare the two responses to the question. Consider {rubric}. Answer "A" or "B" and explain your judgement in detail.\n\n[Question]\n{question}\n\n[Response A]\n{response}\n\n[Response B]\n{other}',
  'Act as a reward model. Rate from 1 to 10 how well the response answers the question, judging {rubric}. Think about it carefully first.\n\nQuestion: {question}\nResponse: {response}',
  '你是一名严格的评审。请按照以下评分标准给回答打分（1-10）：{rubric}。以JSON格式返回分数和理由。\n\n问题：{question}\n\n回答：{response}',
];

export const CHAT_OPENERS = [
  'Can you help me write an email to my {person} about {subject}?',
  'What are some good {things} for {occasion}?',
  'Explain {concept} like I am five.',
  'How do I fix "{error}" in {tool}?',
  'Give me a weekly meal plan for a {diet} diet.',
  'Translate "{phrase}" into {language}.',
  'What is the difference between {concept} and {concept2}?',
  'Write a short poem about {subject}.',
  'I have an interview for a {job} position tomorrow. What questions should I prepare for?',
  'Summarise the main arguments for and against {debate}.',
  'My {thing} makes a strange noise when I {action}. What could it be?',
  'Suggest a name for my {business} business.',
  'Is it safe to {activity} while {condition}?',
  'How many calories are in {food}?',
  'Help me plan a birthday party for my {age}-year-old.',
  'What should I read next if I liked {book}?',
  'Rewrite this so it sounds less passive-aggressive: "As per my last email, the {subject} is still pending."',
  'Can you check my cover letter for a {job} role? I am worried it is too long.',
  'What is a polite way to tell my {person} I cannot make it on Friday?',
  'Why is my {tool} so slow after the latest update?',
  'Compare {concept} and {concept2} in a short table.',
  'I want to start running. Give me a 4-week plan for a complete beginner.',
  "Draft a toast for my best friend's wedding, funny but not embarrassing.",
  'What are the pros and cons of buying versus leasing a {thing}?',
  'Explain this error to me: {error}',
  'Give me 10 names for a {business} Instagram account.',
  'how long should i boil {food}',
  'Is {activity} after eating bad for you?',
  'Turn these notes into a short LinkedIn post about {subject}.',
  'What questions should I ask a landlord before signing a lease?',
  'Help me split a {b}-person dinner bill of {a} dollars with a {c}% tip.',
  'Recommend {things} similar to {book}.',
  'My {age}-year-old will not sleep. Any tips that actually work?',
  'Write a haiku about {subject}.',
  'What does "{phrase}" mean and where does it come from?',
  'Plan a {b}-day itinerary in {city} on a budget.',
];

export const CHAT_FILLS: Readonly<Record<string, readonly string[]>> = {
  person: ['landlord', 'manager', 'teacher', 'neighbour', 'client', 'team'],
  subject: [
    'a late payment',
    'a broken heater',
    'time off next week',
    'the project deadline',
    'autumn',
    'my cat',
  ],
  things: ['gifts', 'board games', 'hiking trails', 'podcasts', 'houseplants'],
  occasion: ['a rainy weekend', 'a 10-year-old', 'a long flight', 'a dinner party', 'beginners'],
  concept: [
    'inflation',
    'blockchain',
    'photosynthesis',
    'compound interest',
    'machine learning',
    'quantum entanglement',
  ],
  concept2: ['deflation', 'a database', 'respiration', 'simple interest', 'statistics'],
  error: [
    'ModuleNotFoundError: No module named numpy',
    'CORS policy blocked',
    '#REF!',
    'permission denied (publickey)',
  ],
  tool: ['Python', 'Excel', 'my React app', 'git', 'Docker'],
  diet: ['vegetarian', 'low-carb', 'high-protein', 'Mediterranean'],
  phrase: ['see you next week', 'where is the train station', 'thank you for your help'],
  language: ['Spanish', 'Japanese', 'German', 'French', 'Korean'],
  job: ['data analyst', 'nurse', 'product manager', 'junior developer', 'sales'],
  debate: ['remote work', 'nuclear power', 'a four-day week', 'school uniforms'],
  thing: ['car', 'dishwasher', 'laptop fan', 'bike'],
  action: ['brake', 'start it', 'turn left'],
  business: ['bakery', 'dog-walking', 'consulting', 'candle'],
  activity: ['drink coffee', 'run', 'fly'],
  condition: ['pregnant', 'taking antibiotics', 'having a cold'],
  food: ['a banana', 'a slice of pizza', 'a bowl of ramen'],
  age: ['5', '8', '12', '30'],
  book: ['The Martian', 'Sapiens', 'Pride and Prejudice', 'Dune', 'Atomic Habits', 'The Hobbit'],
  city: ['Lisbon', 'Seoul', 'Chicago', 'Nairobi', 'Kyoto', 'Berlin', 'Lima', 'Hanoi'],
};

export const CHAT_FOLLOW_UPS = [
  'Can you make it shorter?',
  'Thanks! Can you make it a bit more formal?',
  'Give me three more options.',
  'What about for a smaller budget?',
  'Can you explain the second point in more detail?',
  'That did not work, I still get the same error.',
  'Great, now put it in a table.',
  'Why?',
  'ok and in Spanish?',
  'Perfect, thank you!',
];

export const ASSISTANT_REPLIES = [
  'Sure! Here is a draft you can adapt:',
  'Here are a few options to consider:',
  'Good question. In short:',
  'That error usually means the package is not installed in the active environment.',
  'Here is a simpler version:',
];

export const SUPPORT_QUESTIONS = [
  'How do I reset my password?',
  'Why was I charged twice this month?',
  'Can I export my data to CSV?',
  'The app crashes when I upload a photo, what should I do?',
  'How do I add a team member to my workspace?',
  'Where can I find my invoices?',
  'Is there a discount for non-profits?',
  'My order #{a} has not arrived yet.',
  'How do I cancel my subscription?',
  'Can I change the email address on my account?',
];

export const SAAS_PRODUCTS = [
  'Helpdesk Copilot',
  'ShopAssist',
  'LegalDraft AI',
  'TutorBot',
  'CRM Genie',
];

export const ETL_TEMPLATES = [
  'Extract the following fields as JSON (vendor, date, total, currency) from this invoice:\n\nINVOICE #{a}\n{vendor}\nDate: 2026-0{m}-1{d}\nTotal: {b}.{c} {currency}',
  'Classify the sentiment of this product review as positive, negative or neutral. Answer with one word.\n\nReview: "{review}"',
  'Normalise this address to the fields street, city, postcode, country and return JSON:\n\n{b} {street}, {city} {a}',
  'Summarise this support ticket in one sentence and assign a category from [billing, bug, feature, account].\n\nTicket #{a}: {review}',
];

export const ETL_FILLS: Readonly<Record<string, readonly string[]>> = {
  vendor: ['Acme Office Supply', 'Globex Logistics', 'Initech Software', 'Umbrella Catering'],
  currency: ['USD', 'EUR', 'GBP', 'JPY'],
  review: [
    'Battery life is great but the strap broke after a week.',
    'Exactly as described, fast shipping.',
    'Terrible customer service, I want a refund.',
    'It works, nothing special.',
    'The update deleted all my settings!!',
  ],
  street: ['Main St', 'Baker Street', 'Rue de Rivoli', 'Hauptstraße'],
  city: ['Springfield', 'London', 'Paris', 'Berlin'],
};

export const BENCHMARK_SUBJECTS = [
  'high school physics',
  'college mathematics',
  'professional law',
  'clinical knowledge',
  'computer security',
  'world history',
  'econometrics',
];

export const DEV_TOOL_TASKS = [
  'Review this diff and point out bugs or risky changes:\n```diff\n{snippet}\n```',
  'Write a concise commit message for this change:\n```\n{snippet}\n```',
  'Generate unit tests for the following function:\n```\n{snippet}\n```',
  'Summarise why this CI job failed:\n```\nError: expected 200, received 500 at test/api.test.ts:{a}\n```',
  'Add type annotations and a docstring to:\n```\n{snippet}\n```',
];
