// Files to try the demo with, dated relative to today like the demo itself: a health trust's FHIR
// bundle in which Alfie Carter (2) was not brought to two hospital appointments in the last month.
// Imported by an administrator (Import, "FHIR R4 bundle"), it raises a "children not brought to
// appointments" alert for his health visitor. Invented, like every demo record.
import { daysAgo } from './demo-data.js';

/** A FHIR R4 Bundle (JSON text) with Alfie Carter's two no-shows and one attended appointment. */
export function alfieNoShowsBundle(today = new Date()): string {
  const alfieDob = daysAgo(Math.round(2 * 365.25) + 20, today);
  const appointment = (id: string, status: string, days: number, service: string) => ({
    fullUrl: `https://fhir.northshire-hospital.example/R4/Appointment/${id}`,
    resource: {
      resourceType: 'Appointment',
      id,
      status,
      serviceType: [{ text: service }],
      start: `${daysAgo(days, today)}T10:00:00+00:00`,
      participant: [{ actor: { reference: 'Patient/pt-alfie' }, status: 'accepted' }],
    },
  });
  return `${JSON.stringify(
    {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'https://fhir.northshire-hospital.example/R4/Patient/pt-alfie',
          resource: {
            resourceType: 'Patient',
            id: 'pt-alfie',
            identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000034' }],
            name: [{ use: 'official', family: 'Carter', given: ['Alfred'] }],
            gender: 'male',
            birthDate: alfieDob,
            address: [{ line: ['14 Mill Lane'], city: 'Northtown', postalCode: 'NS1 4AB' }],
          },
        },
        appointment('appt-a1', 'fulfilled', 45, 'Outpatients: audiology'),
        appointment('appt-a2', 'noshow', 25, 'Outpatients: audiology'),
        appointment('appt-a3', 'noshow', 6, 'Outpatients: paediatric dietetics'),
      ],
    },
    null,
    2,
  )}\n`;
}
