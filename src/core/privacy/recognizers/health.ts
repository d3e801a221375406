// HEALTH: personal health statements — first person (or a close relative)
// plus a condition or a medication. General questions ("what are the
// symptoms of diabetes?") name a condition but no person and do not match.
import type { Recognizer } from './types';

export const CONDITIONS = [
  'diabetes', 'pre-?diabetes', 'cancer', 'leukemia', 'leukaemia', 'lymphoma', 'melanoma', 'a tumou?r', 'a brain tumou?r',
  'hiv', 'aids', 'hepatitis(?: [abc])?', 'depression', 'clinical depression', 'anxiety(?: disorder)?', 'panic attacks',
  'panic disorder', 'ptsd', 'ocd', 'adhd', 'autism', 'asperger(?:[\\u0027\\u2019]?s)?', 'bipolar(?: disorder)?', 'schizophrenia',
  'epilepsy', 'seizures', 'asthma', 'copd', 'hypertension', 'high blood pressure', 'high cholesterol',
  'heart disease', 'heart failure', 'a heart condition', 'arrhythmia', 'atrial fibrillation', 'afib',
  'a stroke', 'dementia', 'alzheimer[\\u0027\\u2019]?s', 'parkinson[\\u0027\\u2019]?s', 'multiple sclerosis', 'lupus',
  'crohn[\\u0027\\u2019]?s(?: disease)?', 'ulcerative colitis', 'colitis', 'ibs', 'celiac disease', 'coeliac disease',
  'arthritis', 'rheumatoid arthritis', 'osteoporosis', 'fibromyalgia', 'chronic fatigue(?: syndrome)?',
  'migraines?', 'an eating disorder', 'anorexia', 'bulimia', 'insomnia', 'sleep apnea', 'sleep apnoea',
  'chlamydia', 'gonorrh?oea', 'gonorrhea', 'syphilis', 'herpes', 'hpv', 'an std', 'an sti', 'stds', 'stis',
  'tuberculosis', 'long covid', 'covid(?:-19)?', 'kidney disease', 'kidney failure', 'liver disease',
  'cirrhosis', 'hypothyroidism', 'hyperthyroidism', 'a thyroid (?:condition|disorder|problem)', 'endometriosis',
  'pcos', 'infertility', 'an? (?:drug |alcohol |opioid |gambling )?addiction', 'alcoholism', 'obesity',
  'glaucoma', 'sickle cell(?: anemia| disease)?', 'anemia', 'anaemia', 'cystic fibrosis', 'psoriasis', 'eczema',
  'an? (?:food |peanut |penicillin )?allergy(?: to \\w+)?', 'allergies', 'a concussion', 'a disability',
  'a mental illness', 'mental health (?:issues|problems)', 'chronic pain', 'a chronic illness', 'gout',
  'tinnitus', 'vertigo', 'a miscarriage', 'an abortion', 'postpartum depression', 'borderline personality disorder',
  'bpd', 'suicidal thoughts', 'self-harm',
];

export const MEDICATIONS = [
  'metformin', 'insulin', 'sertraline', 'fluoxetine', 'paroxetine', 'citalopram', 'escitalopram', 'venlafaxine',
  'duloxetine', 'bupropion', 'mirtazapine', 'trazodone', 'prozac', 'zoloft', 'lexapro', 'wellbutrin', 'xanax',
  'alprazolam', 'lorazepam', 'diazepam', 'valium', 'klonopin', 'clonazepam', 'adderall', 'ritalin',
  'methylphenidate', 'vyvanse', 'lithium', 'lamotrigine', 'quetiapine', 'seroquel', 'olanzapine', 'risperidone',
  'aripiprazole', 'abilify', 'lisinopril', 'amlodipine', 'losartan', 'atorvastatin', 'simvastatin',
  'rosuvastatin', 'statins', 'levothyroxine', 'synthroid', 'warfarin', 'eliquis', 'apixaban', 'xarelto',
  'prednisone', 'methotrexate', 'humira', 'ozempic', 'semaglutide', 'wegovy', 'mounjaro', 'tirzepatide',
  'truvada', 'antiretrovirals', 'methadone', 'suboxone', 'buprenorphine', 'naltrexone', 'oxycodone',
  'hydrocodone', 'tramadol', 'morphine', 'fentanyl', 'gabapentin', 'pregabalin', 'chemo(?:therapy)?',
  'radiotherapy', 'radiation therapy', 'dialysis', 'antidepressants', 'antipsychotics', 'anti-?anxiety meds',
  'hormone therapy', 'hrt', 'testosterone', 'estrogen', 'oestrogen', 'ventolin', 'albuterol', 'salbutamol',
  'omeprazole', 'beta blockers', 'blood thinners', 'accutane', 'isotretinoin', 'spironolactone', 'finasteride',
  'propranolol', 'topiramate', 'sumatriptan', 'depakote', 'valproate', 'keppra', 'levetiracetam', 'clozapine',
  'medication for (?:depression|anxiety|adhd|diabetes|my heart|hiv|epilepsy|bipolar)',
];

const COND = `(?:${CONDITIONS.join('|')})`;
const MED = `(?:${MEDICATIONS.join('|')})`;
const QUAL =
  '(?:(?:type\\s*(?:1|2|one|two|i|ii)|chronic|severe|mild|moderate|acute|stage\\s*(?:[0-4]|i{1,3}v?|iv)|early[- ]onset|late[- ]onset|clinical|major|generali[sz]ed|terminal|metastatic|breast|prostate|lung|colon|skin|ovarian|pancreatic|bowel|bone|blood|thyroid|social|severe)\\s+)*';
const I_AM = "(?:I'm|I’m|I am|i'm|im)";
const I_HAVE =
  "(?:I(?:\\s+(?:also|still|now|currently|actually|already|both|only|just))?(?:'ve|’ve|\\s+have|\\s+had|\\s+got)(?:\\s+(?:got|had|been living with))?)";
const RELATIVE =
  '(?:mom|mum|mother|dad|father|wife|husband|partner|son|daughter|child|kid|baby|brother|sister|grandmother|grandfather|grandma|grandpa|granny|boyfriend|girlfriend|fiancée?|aunt|uncle|cousin)';

const re = (src: string) => new RegExp(src, 'gi');

/** A named person: one or two capitalized words that are not question words or pronouns. */
export const NAMED =
  '(?!(?:Who|What|Which|Whose|Everyone|Everybody|Nobody|Someone|Somebody|Anyone|Anybody|He|She|It|They|We|You|This|That|These|Those|The|A|An|Each|Every|Patient|Patients|People|Person|Doctor|Does|Did|Do|Can|Could|Should|Would|Why|How|When|Where|If|My|Your|Our|His|Her|Their|Type|Stage|Nobody)\\b)\\p{Lu}\\p{Ll}+(?:\\s\\p{Lu}\\p{Ll}+)?';

const NAMED_VERB = '(?:has|had|has had|was diagnosed with|has been diagnosed with|is being treated for|suffers from|is taking|takes|is on|is recovering from)';

// Vital signs and lab values, and what a reading looks like ("150/95", "7.2%", "39.5 °C", "110 bpm").
const VITAL =
  '(?:blood pressure|bp|systolic|diastolic|heart rate|resting heart rate|pulse|blood sugar|blood glucose|glucose|fasting glucose|a1c|hba1c|hemoglobin a1c|cholesterol|ldl|hdl|triglycerides|temperature|temp|fever|oxygen(?: saturation| level)?|spo2|o2 sat(?:uration)?|bmi|tsh|t4|psa|creatinine|egfr|gfr|hemoglobin|haemoglobin|hb|ferritin|iron|vitamin d|b12|white (?:blood )?cell count|wbc|platelets?(?: count)?|potassium|sodium|cd4(?: count)?|viral load|inr|alt|ast|bilirubin|uric acid|ecg|ekg|blood test results?|lab results?)';
const VALUE =
  '(?:\\d{2,3}\\s*/\\s*\\d{2,3}(?:\\s*mm\\s*hg)?|\\d+(?:[.,]\\d+)?\\s*(?:%|percent|mg/dl|mmol/l|mmol|mg|ng/ml|iu/l|u/l|µg/l|g/dl|bpm|beats|°\\s*[cf]|degrees(?: [cf]| celsius| fahrenheit)?|kg/m2|copies)?(?![\\w/])|(?:high|low|normal|elevated|abnormal|borderline|positive|negative|undetectable)\\b)';

export const health: Recognizer = {
  name: 'health',
  type: 'HEALTH',
  quick: /\b(?:i|i'm|i’m|im|my|our)\b|['’]s\s|\b(?:has|had|takes|taking|diagnosed|suffers|is on|recovering)\b/i,
  patterns: [
    // "I have (type 2) diabetes", "I've got asthma", "I had cancer"
    { name: 'i-have-condition', regex: re(`\\b${I_HAVE}\\s+(?:a history of\\s+|been living with\\s+)?${QUAL}(?<v>${COND})\\b`), score: 0.85, group: 'v' },
    // "I was diagnosed with …", "I've been diagnosed with …", "I'm being treated for …"
    {
      name: 'diagnosed',
      regex: re(
        `\\b(?:I(?:'ve|’ve| have)? been|I was|I got|I just got|${I_AM}(?: being)?|I'm currently|I am currently)\\s+(?:recently\\s+|just\\s+|finally\\s+|officially\\s+)?(?:diagnosed with|treated for|tested positive for|hospitali[sz]ed for|admitted for|recovering from|suffering from|struggling with|living with|in remission from)\\s+(?<v>[A-Za-zÀ-ÿ\\d'’-]+(?:\\s+[A-Za-zÀ-ÿ\\d'’-]+){0,3})`,
      ),
      score: 0.85,
      group: 'v',
    },
    // "I suffer from migraines", "I struggle with anxiety", "I live with HIV"
    { name: 'i-suffer', regex: re(`\\bI\\s+(?:suffer from|struggle with|live with|deal with|battle|battled|beat|survived)\\s+${QUAL}(?<v>${COND})\\b`), score: 0.85, group: 'v' },
    // "I'm pregnant", "I'm diabetic", "I'm HIV positive"
    {
      name: 'i-am-state',
      regex: re(
        `\\b${I_AM}\\s+(?:(?:currently|now|still|also|\\d{1,2}\\s+weeks)\\s+)?(?<v>pregnant|diabetic|pre-?diabetic|epileptic|asthmatic|anorexic|bulimic|clinically depressed|depressed|suicidal|bipolar|autistic|hiv[- ]positive|hiv\\+|an alcoholic|an addict|in recovery|in rehab|in therapy|on dialysis|on chemo(?:therapy)?|infertile|immunocompromised|on the autism spectrum|in remission)\\b`,
      ),
      score: 0.85,
      group: 'v',
    },
    // "I'm taking sertraline", "I'm on lithium", "I was prescribed Adderall", "I take 500mg of metformin"
    {
      name: 'i-take-med',
      regex: re(
        `\\b(?:${I_AM}|I was|I've been|I’ve been|I have been|I)\\s+(?:currently\\s+|still\\s+|now\\s+|also\\s+)?(?:taking|on|prescribed|started|starting|using|stopped taking|quit|injecting)\\s+(?:\\d+(?:\\.\\d+)?\\s*(?:mg|mcg|µg|ml|units?)\\s+(?:of\\s+)?)?(?<v>${MED})\\b`,
      ),
      score: 0.85,
      group: 'v',
    },
    {
      name: 'i-take-med-simple',
      regex: re(
        `(?<!\\b(?:can|should|could|would|may|might|do|does|if|when|whether|to)\\s)\\bI\\s+(?:take|took|need|use)\\s+(?:\\d+(?:\\.\\d+)?\\s*(?:mg|mcg|µg|ml|units?)\\s+(?:of\\s+)?)?(?<v>${MED})\\b`,
      ),
      score: 0.8,
      group: 'v',
    },
    // "my doctor put me on lithium", "they started me on insulin"
    {
      name: 'put-me-on',
      regex: re(`\\b(?:put|started|switched|moved|keeps?|kept|has|had) me on\\s+(?:\\d+(?:\\.\\d+)?\\s*(?:mg|mcg|µg|ml|units?)\\s+(?:of\\s+)?)?(?<v>${MED})\\b`),
      score: 0.85,
      group: 'v',
    },
    // "my metformin dose", "my insulin prescription", "my dose of sertraline"
    {
      name: 'my-med-dose',
      regex: re(
        `\\bmy\\s+(?:(?:daily|current|weekly|new|usual|nightly|morning|evening)\\s+)?(?<v>${MED})\\s+(?:dose|doses|dosage|prescription|pills?|tablets?|injections?|shots?|refill|levels?|treatment|meds)\\b`,
      ),
      score: 0.85,
      group: 'v',
    },
    { name: 'my-dose-of', regex: re(`\\bmy\\s+(?:dose|dosage|prescription|refill)\\s+(?:of|for)\\s+(?<v>${MED})\\b`), score: 0.85, group: 'v' },
    // "my diabetes is getting worse", "my depression"
    { name: 'my-condition', regex: re(`\\bmy\\s+${QUAL}(?<v>${COND})\\b`), score: 0.8, group: 'v' },
    // "my HIV status", "my biopsy results", "my psychiatrist"
    {
      name: 'my-medical',
      regex: re(
        `\\bmy\\s+(?<v>hiv (?:status|test(?: results?)?)|biopsy(?: results?)?|diagnosis|prognosis|psychiatrist|oncologist|therapist|endocrinologist|cardiologist|a1c|hba1c|blood sugar(?: levels?)?|glucose levels?|cd4 count|viral load|tumou?r|chemo(?:therapy)?(?: sessions?)?|mri results|scan results|test results|medical records?|mental health|surgery|operation|pregnancy|miscarriage|sti test|std test|psychiatric \\w+)\\b`,
      ),
      score: 0.65,
      group: 'v',
    },
    // Vital signs and lab values about the user or a relative:
    // "my blood pressure is 150/95", "my doctor says my A1c was 7.2%", "my mom's cholesterol is 260"
    {
      name: 'my-vital',
      regex: re(
        `\\b(?:my|our)\\s+(?:(?:\\w+\\s+)?${RELATIVE}(?:'s|’s)\\s+)?(?:(?:latest|last|current|resting|fasting|morning|average|usual|new)\\s+)?(?<v>${VITAL}\\s+(?:reading\\s+|level\\s+|levels\\s+|count\\s+|result\\s+)?(?:is|was|were|are|came back(?: at)?|went up to|dropped to|of|at|reads?|=|:)\\s+(?:(?:about|around|only|still|now|over|under|almost)\\s+)?${VALUE})`,
      ),
      score: 0.85,
      group: 'v',
    },
    // "John's blood pressure is 150/95", "Maria's A1c was 8.1" (the look-behind
    // sits after the vital sign: a pattern that opens with one is tried everywhere)
    {
      name: 'named-vital',
      regex: new RegExp(
        `(?<v>${VITAL}(?<=(?<![\\p{L}])${NAMED}(?:'s|’s)\\s+${VITAL})\\s+(?:reading\\s+|level\\s+|levels\\s+|count\\s+)?(?:is|was|were|are|came back(?: at)?|of|at|=|:)\\s+(?:(?:about|around|only|still|now|over|under)\\s+)?${VALUE})`,
        'gu',
      ),
      score: 0.8,
      group: 'v',
    },
    // "Maria has diabetes", "John Smith was diagnosed with cancer", "Priya takes sertraline"
    {
      name: 'named-condition',
      regex: new RegExp(
        `${NAMED_VERB}(?<=(?<![\\p{L}])${NAMED}\\s+${NAMED_VERB})\\s+${QUAL}(?<v>${COND}|${MED})\\b`,
        'gu',
      ),
      score: 0.75,
      group: 'v',
    },
    // "my mother has dementia", "my son takes Ritalin"
    {
      name: 'relative-condition',
      regex: re(
        `\\bmy\\s+(?:\\w+\\s+)?${RELATIVE}\\s+(?:has|had|was diagnosed with|is being treated for|suffers from|is taking|takes|is on|died of|is dying of|is fighting|is battling)\\s+${QUAL}(?<v>${COND}|${MED})\\b`,
      ),
      score: 0.75,
      group: 'v',
    },
  ],
  validate: (v, m) => {
    if (m.pattern !== 'diagnosed') return true;
    // Cut the free-text condition at the first word that plainly is not part of it.
    const words = v.split(/(\s+)/);
    for (let i = 0; i < words.length; i += 2) {
      if (/^(?:last|in|and|but|so|since|two|three|a|an|the|when|after|because|years?|months?|weeks?|yesterday|today|recently|at|by|about|ago|which|who|that|this|so|while|during|,)$/i.test(words[i])) {
        if (i === 0) {
          // "diagnosed with a rare …": keep one more word after the article.
          if (/^(?:a|an|the)$/i.test(words[i]) && words.length > 2) continue;
          return false;
        }
        return { end: words.slice(0, i - 1).join('').length };
      }
    }
    return true;
  },
};

export const healthRecognizers: Recognizer[] = [health];
