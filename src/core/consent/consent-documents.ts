/**
 * Consent document kinds and the default texts a new clinic starts with.
 *
 * THESE TEXTS ARE TEMPLATES. They are written to be readable and complete enough to
 * demonstrate the workflow; they are not legal advice and each clinic's counsel must
 * review and adapt them (state law, the clinic's own protocol, fees, contacts) before use.
 * Clinic admins edit them in the consent document editor; every publish is a new version.
 */
export const CONSENT_KINDS = ['kap_treatment', 'telehealth', 'privacy_notice'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

export const CONSENT_KIND_LABELS: Record<ConsentKind, string> = {
  kap_treatment: 'Ketamine-assisted psychotherapy consent',
  telehealth: 'Telehealth consent',
  privacy_notice: 'Notice of privacy practices',
};

const TEMPLATE_NOTE =
  '[TEMPLATE — to be reviewed and adapted by the clinic’s legal counsel before use. Remove this line once approved.]';

export const DEFAULT_CONSENT_TEXTS: Record<ConsentKind, { title: string; body: string }> = {
  kap_treatment: {
    title: 'Informed consent for ketamine-assisted psychotherapy',
    body: `${TEMPLATE_NOTE}

1. What this treatment is
Ketamine-assisted psychotherapy (KAP) combines psychotherapy with doses of ketamine given under medical supervision. Ketamine is approved by the FDA as an anesthetic; its use for depression, anxiety, PTSD and related conditions (other than esketamine nasal spray, Spravato) is "off-label". Your prescriber has explained why they think it may help you and what other treatments exist.

2. How sessions work
Before treatment you complete a medical and mental-health history and questionnaires, and a prescriber reviews whether ketamine is suitable for you. Each dosing session includes preparation, the dose, monitoring of your blood pressure, heart rate and oxygen level, and time to recover. Integration sessions help you make sense of the experience.

3. Possible effects and risks
Common effects during and shortly after a dose include changes in perception, a sense of detachment from your body or surroundings (dissociation), drowsiness, dizziness, nausea, a rise in blood pressure and heart rate, and blurred vision. Less common risks include vomiting, anxiety or distressing experiences, confusion, bladder irritation with frequent use, and misuse or dependence. Rare serious risks include breathing problems and severe blood pressure rises. The long-term effects of repeated use are not fully known. Benefits are not guaranteed.

4. What I agree to do
I will give complete and honest information about my health, medicines and substance use. I will follow the preparation instructions (including not eating or drinking for the time I am told before a session). I will not drive, operate machinery or make important decisions until the day after a session, and I will arrange a responsible adult to take me home. I will not use alcohol or other drugs around sessions as instructed. I will tell my care team about any new medicine, pregnancy, or thoughts of harming myself.

5. Safety and emergencies
If my clinicians believe I am at risk of harming myself or others, they may contact emergency services or my emergency contact. If I have thoughts of suicide, I can call or text 988 (Suicide & Crisis Lifeline) or call 911.

6. My choices
Taking part is voluntary. I may ask questions at any time, decline a dose, stop treatment, or withdraw this consent at any time without affecting my other care.

By typing my full name below, I confirm that I have read this document, that my questions have been answered, and that I consent to ketamine-assisted psychotherapy.`,
  },
  telehealth: {
    title: 'Consent to telehealth services',
    body: `${TEMPLATE_NOTE}

1. What telehealth is
Some of my appointments (for example preparation and integration sessions, and some assessments) may take place by secure video or telephone instead of in person. Ketamine dosing sessions take place only in the clinic unless my prescriber and the clinic's protocol say otherwise.

2. Benefits and limits
Telehealth can save travel time. It also has limits: a clinician cannot examine me in person, the connection may fail, and despite the clinic's safeguards no electronic communication is completely secure.

3. Privacy
The clinic uses secure, encrypted services for telehealth. I will join from a private place where I cannot be overheard, and I will not record sessions without everyone's agreement.

4. Location and emergencies
I will tell my clinician where I am at the start of each telehealth session, and give a phone number where I can be reached if the connection drops. If an emergency happens during a session, my clinician may contact local emergency services at that location.

5. My choices
I may decline telehealth and ask for in-person care instead, where available, and I may withdraw this consent at any time.

By typing my full name below, I consent to receive care by telehealth under these terms.`,
  },
  privacy_notice: {
    title: 'Notice of privacy practices — acknowledgement',
    body: `${TEMPLATE_NOTE}

This notice describes how medical information about you may be used and disclosed and how you can get access to this information. Please review it carefully.

1. How we use your information
We use and share your health information to treat you, to arrange payment for your care, and to run the clinic (for example quality review and staff training). Only members of your care team can see your clinical records; every access is recorded in an audit log.

2. When we may share without your permission
When the law requires it; to prevent a serious threat to your health or safety or that of others; for public health reporting; and in response to a court order.

3. Your rights
You may see and get a copy of your records, ask us to correct them, ask for a list of certain disclosures, ask us to limit what we share, ask us to contact you in a particular way, and get a paper copy of this notice. Some psychotherapy notes have additional protection.

4. Complaints
If you believe your privacy rights have been violated, you can contact the clinic's privacy officer or the U.S. Department of Health and Human Services Office for Civil Rights. We will not retaliate against you for filing a complaint.

By typing my full name below, I acknowledge that I have received and read this notice.`,
  },
};
