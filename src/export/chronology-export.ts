// Renders an exported chronology in its format: the exchange format (JSON), CSV, or PDF. The
// entries and objects come from the chronology service (already cut to what the exporter may see);
// this only writes them out.
import type { ExportContext, ExportFormat } from '../chronology/chronology.service.js';
import { EXCHANGE_FORMAT } from '../ingest/exchange-schema.js';
import { chronologyCsv } from './chronology-csv.js';
import type { ChronologyDocument } from './chronology-document.js';
import { renderChronologyPdf } from './chronology-pdf.js';

/** The export's bytes in the format asked for. */
export async function renderChronologyExport(format: ExportFormat, c: ExportContext): Promise<Buffer> {
  if (format === 'csv') {
    return Buffer.from(
      chronologyCsv(
        c.exported.map((e) => ({
          date: e.date,
          datePrecision: e.datePrecision,
          recorded: e.recorded,
          agency: e.agency,
          source: e.sourceKey,
          id: e.key,
          type: e.type,
          concerns: e.concerns,
          subjects: e.subjects.map((s) => s.name),
          summary: [e.summary ?? '', ...e.details].filter(Boolean).join(' — '),
          significant: e.significant,
        })),
      ),
      'utf8',
    );
  }
  if (format === 'json') {
    const document = {
      format: EXCHANGE_FORMAT,
      title: `${c.view.scope === 'family' ? 'Family chronology' : 'Chronology'}: ${c.subject.name} (exported ${c.exportedAt.toISOString()} by ${c.exportedBy})`,
      ...c.exchange,
    };
    return Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8');
  }
  const doc: ChronologyDocument = {
    title: `${c.view.scope === 'family' ? 'Family chronology' : 'Chronology'}: ${c.subject.name}`,
    partnership: c.partnership,
    subjects: c.view.members.map((m) => ({ name: m.name, detail: m.dateOfBirth ? `born ${m.dateOfBirth}` : m.child ? 'child' : 'adult' })),
    sharingBasis: c.sharing,
    exportedBy: c.exportedBy,
    exportedAt: c.exportedAt,
    purpose: c.purpose,
    timeline: c.view.timeline,
    figures: c.view.figures
      .filter((f) => f.appointments.length > 0 || f.attendance.length > 0)
      .map((f) => ({ heading: f.name, lines: [...(f.allAppointments ? [f.allAppointments.text] : []), ...f.appointments.map((a) => a.text), ...f.attendanceOverall.map((a) => a.text), ...f.attendance.map((a) => a.text)] })),
    entries: c.exported.map((e) => ({
      id: e.key,
      date: e.dateLabel,
      recorded: e.recordedLabel ? `recorded ${e.recordedLabel}` : null,
      agency: e.agencyLabel,
      source: e.sourceName,
      recordedBy: e.recordedBy,
      type: e.typeLabel,
      concerns: e.concernLabels,
      subjects: e.subjects.map((s) => s.name),
      summary: [e.summary ?? '', ...e.details].filter(Boolean).join(' — '),
      significant: e.significant,
      enteredInError: null,
      amended: e.version > 1,
    })),
    restrictedOmitted: c.view.entries.filter((e) => e.visibility !== 'full').length,
  };
  return renderChronologyPdf(doc);
}
