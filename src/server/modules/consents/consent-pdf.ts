import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';
import { DateTime } from 'luxon';

export interface ConsentPdfInput {
  clinicName: string;
  timeZone: string;
  title: string;
  kindLabel: string;
  version: number;
  /** The exact text signed. */
  body: string;
  patientName: string;
  dateOfBirth: string;
  typedName: string;
  signedAt: string;
  ip: string | null;
  textSha256: string;
  signatureId: string;
}

const PAGE = { width: 612, height: 792, margin: 56 };

/** Standard fonts cover WinAnsi only: replace what they cannot draw rather than fail the signature. */
function drawable(font: PDFFont, text: string): string {
  let out = '';
  for (const ch of text) {
    try {
      font.encodeText(ch);
      out += ch;
    } catch {
      out += '?';
    }
  }
  return out;
}

function wrap(font: PDFFont, size: number, text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    if (paragraph.trim() === '') {
      lines.push('');
      continue;
    }
    let line = '';
    for (const word of paragraph.split(/\s+/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
      } else {
        if (line) lines.push(line);
        // A single word longer than the line: hard-break it.
        let rest = word;
        while (font.widthOfTextAtSize(rest, size) > width) {
          let cut = rest.length - 1;
          while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
          lines.push(rest.slice(0, cut));
          rest = rest.slice(cut);
        }
        line = rest;
      }
    }
    lines.push(line);
  }
  return lines;
}

/**
 * The patient's copy of a signed consent: the document exactly as signed, then the
 * signature record (typed name, time in UTC and the clinic's zone, address, SHA-256 of
 * the text). The hash is also in the PDF's metadata (Subject and Keywords).
 */
export async function renderConsentPdf(input: ConsentPdfInput): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const signed = new Date(input.signedAt);
  pdf.setTitle(`${input.title} (version ${input.version})`);
  pdf.setAuthor(input.clinicName);
  pdf.setSubject(`Signed consent; text SHA-256 ${input.textSha256}`);
  pdf.setKeywords([`sha256:${input.textSha256}`, `signature:${input.signatureId}`, `version:${input.version}`]);
  pdf.setProducer('Threshold');
  pdf.setCreator('Threshold');
  pdf.setCreationDate(signed);
  pdf.setModificationDate(signed);

  const width = PAGE.width - 2 * PAGE.margin;
  let page = pdf.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - PAGE.margin;
  const newPageIfNeeded = (needed: number) => {
    if (y - needed < PAGE.margin) {
      page = pdf.addPage([PAGE.width, PAGE.height]);
      y = PAGE.height - PAGE.margin;
    }
  };
  const write = (text: string, font: PDFFont, size: number, gap = 4, color = rgb(0, 0, 0)) => {
    for (const line of wrap(font, size, drawable(font, text), width)) {
      newPageIfNeeded(size + gap);
      y -= size;
      if (line) page.drawText(line, { x: PAGE.margin, y, size, font, color });
      y -= gap;
    }
  };

  write(input.clinicName, bold, 11, 2, rgb(0.3, 0.3, 0.3));
  write(`${input.kindLabel} - version ${input.version}`, regular, 10, 10, rgb(0.3, 0.3, 0.3));
  write(input.title, bold, 16, 12);
  write(input.body, regular, 10.5, 4);
  y -= 16;
  newPageIfNeeded(140);
  page.drawLine({ start: { x: PAGE.margin, y }, end: { x: PAGE.width - PAGE.margin, y }, thickness: 0.8, color: rgb(0.5, 0.5, 0.5) });
  y -= 10;
  write('Electronic signature', bold, 12, 8);
  const local = DateTime.fromJSDate(signed, { zone: input.timeZone }).toFormat("d LLLL yyyy, HH:mm:ss ZZZZ");
  write(`Signed by (typed full name): ${input.typedName}`, regular, 10.5);
  write(`Patient: ${input.patientName} (date of birth ${input.dateOfBirth})`, regular, 10.5);
  write(`Signed at: ${input.signedAt} (UTC); ${local} (${input.timeZone})`, regular, 10.5);
  write(`IP address: ${input.ip ?? 'not recorded'}`, regular, 10.5);
  write(`SHA-256 of the text signed: ${input.textSha256}`, regular, 10.5);
  write(`Signature record: ${input.signatureId}`, regular, 10.5);
  return pdf.save({ useObjectStreams: false });
}
