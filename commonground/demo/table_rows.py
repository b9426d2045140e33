"""The rest of the demo's table: the organizations a mid-sized region brings once its partnership is known,
and the people invited to it over two years. All fictional; the names are what such a region holds
(hospitals, utilities, grocers, school districts, faith groups), never a real company's.
"""

from __future__ import annotations

MORE_TABLE = [
    # name, sector, category, level, ci_sector, employees, zip; imported by the private co-chair, oldest first
    ("Riverbend County Sheriff's Office", "public", "police", "local", "emergency_services", 240, "48933"),
    ("Harbor Point Family Health Center", "nonprofit", "hospital_health_care", "", "healthcare_public_health", 120, "48906"),
    ("Tri-County Rural Electric Cooperative", "private", "utility", "", "energy", 160, "48823"),
    ("Maple Grove Water Authority", "public", "utility", "local", "water_wastewater", 48, "48823"),
    ("Ironwood Cold Storage", "private", "large_employer", "", "food_agriculture", 420, "48917"),
    ("Lakeshore Fuel and Propane", "private", "small_employer", "", "energy", 65, "48906"),
    ("Maple Grove Community Schools", "public", "education", "local", "government_facilities", 640, "48823"),
    ("First Baptist Church of Harbor Point", "nonprofit", "red_cross_voluntary", "", "", 12, "48906"),
    ("Northern Rail Short Line", "private", "railroad", "", "transportation_systems", 75, "48906"),
    ("Beacon Community Credit Union", "private", "small_employer", "", "financial_services", 190, "48933"),
    ("Oakridge Senior Living", "private", "hospital_health_care", "", "healthcare_public_health", 210, "48911"),
    ("Granite Ridge Construction", "private", "public_sector_contractor", "", "commercial_facilities", 310, "48911"),
    ("State Department of Transportation, Riverbend Service Center", "public", "public_works", "state", "transportation_systems", 60, "48906"),
    ("Riverbend Downtown Business Alliance", "nonprofit", "chamber_business_group", "", "", 4, "48933"),
    ("Tri-County Medical Reserve Corps", "nonprofit", "citizen_corps", "", "healthcare_public_health", 0, "48912"),
    ("Cedar Falls Township Fire Department", "public", "fire", "local", "emergency_services", 36, "48864"),
    ("Evergreen Pharmacy", "private", "small_employer", "", "healthcare_public_health", 22, "48823"),
    ("Heritage Valley Dairy", "private", "large_employer", "", "food_agriculture", 1150, "48864"),
]  # fmt: skip

INVITED = [
    # inviter, first, last, title, organization (new to the table), its data, days ago they accepted
    ("cochair.public", "Helen", "Osei", "Emergency Preparedness Coordinator", "St. Agnes Community Hospital",
     {"sector": "nonprofit", "category": "hospital_health_care", "ci_sector": "healthcare_public_health", "zip_code": "48864", "employees": 1450}, 610),
    ("cochair.private", "Victor", "Lindqvist", "Director of Store Operations", "Harvest Table Markets",
     {"sector": "private", "category": "large_employer", "ci_sector": "food_agriculture", "zip_code": "48917", "employees": 1300}, 520),
    ("orgadmin", "Rosa", "Delgado", "Owner", "Cedar Falls Family Grocery",
     {"sector": "private", "category": "small_employer", "ci_sector": "food_agriculture", "zip_code": "48864", "employees": 38}, 440),
    ("cochair.public", "Samuel", "Brooks", "Director of Safety and Security", "Riverbend Area School District",
     {"sector": "public", "category": "education", "level": "local", "ci_sector": "government_facilities", "zip_code": "48933", "employees": 2100}, 380),
    ("member", "Imani", "Carter", "Executive Director", "Riverbend Interfaith Council",
     {"sector": "nonprofit", "category": "red_cross_voluntary", "zip_code": "48933", "employees": 3}, 300),
    ("cochair.private", "Greg", "Novak", "Gas Control Manager", "Grand River Natural Gas",
     {"sector": "private", "category": "utility", "ci_sector": "energy", "zip_code": "48912", "employees": 640}, 215),
    ("cochair.public", "Aaron", "Feldman", "Operations Director", "Tri-County Food Bank",
     {"sector": "nonprofit", "category": "red_cross_voluntary", "ci_sector": "food_agriculture", "zip_code": "48912", "employees": 55}, 120),
    ("member", "Yusuf", "Rahman", "Board Chair", "Islamic Center of Greater Riverbend",
     {"sector": "nonprofit", "category": "red_cross_voluntary", "zip_code": "48911", "employees": 6}, 45),
]  # fmt: skip

PENDING = [
    # inviter, name, organization (new to the table), its category, days ago sent; past 14 days it has expired
    ("cochair.public", "Laura Bennett", "Oakridge Public Schools", "education", 9),
    ("cochair.private", "Kevin Park", "Pioneer Data Center", "large_employer", 4),
    ("orgadmin", "Diane Foster", "Evergreen Bakery and Cafe", "small_employer", 40),
]

FOUNDING_TASKS = [
    # title, owner organization, due (days ago), done (days ago, None while open)
    ("Sign the partnership charter", "Riverbend Office of Emergency Management", 680, 690),
    ("Compare the table with the recommended stakeholder list", "Great Lakes Logistics", 600, 585),
    ("Name a continuity contact at every member", "Riverbend Regional Chamber of Commerce", 540, 548),
    ("List each member's critical functions", "Tri-County Health Department", 430, 440),
    ("Record members' shareable resources in the database", "Capital Grocers Cooperative", 330, 316),
    ("Set up a joint information line with the chamber", "Riverbend Regional Chamber of Commerce", 260, 262),
    ("Agree a shelter list with the faith groups", "American Red Cross, Mid-Michigan Chapter", 180, 150),
    ("Run the ice storm tabletop exercise", "Riverbend Office of Emergency Management", 95, 90),
    ("Publish the partnership's first annual report", "Riverbend City Manager's Office", 30, 34),
    ("Agree a shared damage assessment form", "Riverbend Department of Public Works", 12, None),
]
